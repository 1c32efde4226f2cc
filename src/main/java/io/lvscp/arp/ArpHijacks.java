package io.lvscp.arp;

import java.util.List;

/** The ARP hijacks this node sees now (empty when detection is off, as in dry-run). */
public interface ArpHijacks {
    List<ArpWatch.Hijack> current();
}
