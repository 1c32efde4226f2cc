package io.lvscp.splitbrain;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lvs.split-brain.*}: split brain seen through the database (see {@link SplitBrainWatch}).
 *
 * @param enabled    write this node's VRRP states with its heartbeat and watch every director's
 * @param staleAfter a director's report (or heartbeat) older than this is not counted: it stopped
 *                   reporting (crashed, or lost the database)
 */
@ConfigurationProperties("lvs.split-brain")
public record SplitBrainProperties(@DefaultValue("true") boolean enabled, @DefaultValue("3s") Duration staleAfter) {
}
