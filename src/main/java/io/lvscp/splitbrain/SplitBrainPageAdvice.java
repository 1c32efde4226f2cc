package io.lvscp.splitbrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives the web pages the split brains going on ({@code splitBrains}), which the cluster page's live part shows in red. */
@ControllerAdvice(basePackages = "io.lvscp.web")
class SplitBrainPageAdvice {

    private final ObjectProvider<SplitBrainWatch> watch;

    /** A provider: web slices in tests run without the watch. */
    SplitBrainPageAdvice(ObjectProvider<SplitBrainWatch> watch) {
        this.watch = watch;
    }

    /** By cluster name ("" for directors without a Director record); a cluster without an episode is absent. */
    @ModelAttribute("splitBrains")
    Map<String, List<SplitBrainDetector.Episode>> splitBrains() {
        SplitBrainWatch w = watch.getIfAvailable();
        Map<String, List<SplitBrainDetector.Episode>> out = new TreeMap<>();
        if (w != null) {
            for (SplitBrainDetector.Episode e : w.episodes()) {
                out.computeIfAbsent(e.key().cluster() == null ? "" : e.key().cluster(), c -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }
}
