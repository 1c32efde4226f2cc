package io.lvscp.realserver;

import java.util.Optional;

/** Where the API reads real servers' health from (the health-check registry). */
public interface RealServerHealthSource {

    /** The health of a real server as this node checks it, or empty when this node does not watch it. */
    Optional<RealServerHealth> health(long realServerId);
}
