package io.lvscp.web;

import io.lvscp.virtualserver.VirtualServerResponse;
import java.util.List;

/** A virtual server as the cluster page lists it: followed by its real servers. */
record VirtualServerView(VirtualServerResponse vs, List<RealServerView> realServers) {
}
