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
 * @param stepDown   off by default: in a split brain seen through the database the master that steps down first
 *                   (the lowest priority, on a tie the last by name) gives mastership away and is held as backup
 *                   while another director reports being master in a fresh heartbeat ({@link StepDown})
 */
@ConfigurationProperties("lvs.split-brain")
public record SplitBrainProperties(@DefaultValue("true") boolean enabled, @DefaultValue("3s") Duration staleAfter,
        @DefaultValue("false") boolean stepDown) {
}
