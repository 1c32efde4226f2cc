package io.lvscp.arp;

import java.util.List;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives the web pages the current ARP hijacks ({@code arpHijacks}), which the cluster page shows as a warning. */
@ControllerAdvice(basePackages = "io.lvscp.web")
class ArpHijackPageAdvice {

    private final ArpHijacks hijacks;

    ArpHijackPageAdvice(ArpHijacks hijacks) {
        this.hijacks = hijacks;
    }

    @ModelAttribute("arpHijacks")
    List<ArpWatch.Hijack> arpHijacks() {
        return hijacks.current();
    }
}
