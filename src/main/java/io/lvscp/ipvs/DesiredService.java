package io.lvscp.ipvs;

import java.util.List;

/** A virtual service as the control plane wants it: what the plan compiler produces and every data plane reconciles. */
public record DesiredService(VirtualService service, List<DesiredDestination> destinations) {

    public DesiredService {
        destinations = List.copyOf(destinations);
    }
}
