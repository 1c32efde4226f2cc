package io.lvscp.arp;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives the web pages the current ARP hijacks ({@code arpHijacks}), which the cluster page shows as a warning. */
@ControllerAdvice(basePackages = "io.lvscp.web")
class ArpHijackPageAdvice {

    private final ObjectProvider<ArpHijacks> hijacks;

    /** A provider: web slices in tests run without the ARP watch. */
    ArpHijackPageAdvice(ObjectProvider<ArpHijacks> hijacks) {
        this.hijacks = hijacks;
    }

    @ModelAttribute("arpHijacks")
    List<ArpWatch.Hijack> arpHijacks() {
        ArpHijacks h = hijacks.getIfAvailable();
        return h == null ? List.of() : h.current();
    }
}
