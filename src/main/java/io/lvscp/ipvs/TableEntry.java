package io.lvscp.ipvs;

import java.util.List;

/** One virtual service with its destinations: a row of the kernel's table, desired or read back. */
public record TableEntry(VirtualService service, List<Destination> destinations) {

    public TableEntry {
        destinations = List.copyOf(destinations);
    }
}
