package io.lvscp.vrrp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One VRRP instance: the RFC 5798 state machine (section 6.4), also VRRPv2 per RFC 3768, with
 * keepalived's additions (preempt delay, FAULT on tracked-interface down, sync groups).
 *
 * <p>Pure: it reads time only from the injected {@link Clock} and acts only through the
 * {@link VrrpTransport}. The engine's loop calls {@link #poll()} at {@link #nextDeadline()} and
 * {@link #receive} for each packet; all calls come from that one thread.
 */
public final class VrrpInstance {

    /** Told of every state change (the engine records Events; sync groups follow). */
    public interface Listener {
        void transitioned(VrrpInstance instance, VrrpState from, VrrpState to, Instant at);
    }

    static final String SYNC_GROUP_FAULT = "sync-group";

    private final VrrpInstanceConfig config;
    private final VrrpTransport transport;
    private final Clock clock;
    private final VrrpStats stats = new VrrpStats();
    private final AdvertisementValidator validator;
    private final List<Listener> listeners = new ArrayList<>();
    private final Set<String> faults = new LinkedHashSet<>();

    private VrrpState state = VrrpState.INITIALIZE;
    private Instant lastTransition;
    private Duration masterAdverInterval;
    /** Master_Down_Timer expiry while BACKUP, else null. */
    private Instant masterDownAt;
    /** Adver_Timer expiry while MASTER, else null. */
    private Instant adverAt;
    /** When a preempting backup may take over from the lower-priority master it has seen (preempt delay). */
    private Instant preemptAt;
    private InetAddress masterAddress;
    /** When the last accepted advert of another router arrived, and its priority. */
    private Instant lastAdvertAt;
    private int lastAdvertPriority = -1;
    private final AnnouncePolicy announcePolicy;
    /** While MASTER: the second announcement burst, and the next periodic refresh; null when none. */
    private Instant secondBurstAt;
    private Instant refreshAt;
    /** While MASTER: the earliest time a lower-priority master's advert is answered again. */
    private Instant reassertAt;
    /** The priority sent and compared: the configured one unless {@link #setEffectivePriority} changed it (switch-over). */
    private int priority;
    /** A backup started by {@link #startHoldingVips()} that still holds the VIPs it found on the interface. */
    private boolean holdingVips;
    /** Held as backup ({@link #standDown()}): the Master_Down_Timer re-arms instead of making it master. */
    private boolean standingDown;

    public VrrpInstance(VrrpInstanceConfig config, VrrpTransport transport, Clock clock) {
        this(config, transport, clock, AnnouncePolicy.ONCE);
    }

    public VrrpInstance(VrrpInstanceConfig config, VrrpTransport transport, Clock clock, AnnouncePolicy announcePolicy) {
        this.announcePolicy = announcePolicy;
        this.config = config;
        this.transport = transport;
        this.clock = clock;
        this.validator = new AdvertisementValidator(config, stats);
        this.masterAdverInterval = config.advertInterval();
        this.lastTransition = clock.instant();
        this.priority = config.priority();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    // ---- timers (RFC 5798 6.1) --------------------------------------------------------------------

    /** Skew_Time: v3 ((256 - Priority) x Master_Adver_Interval) / 256; v2 (256 - Priority) / 256 seconds. */
    public Duration skewTime() {
        Duration base = config.version() == VrrpVersion.V2 ? Duration.ofSeconds(1) : masterAdverInterval;
        return Duration.ofNanos(base.toNanos() * (256 - priority) / 256);
    }

    /** Master_Down_Interval = 3 x Master_Adver_Interval + Skew_Time. */
    public Duration masterDownInterval() {
        return masterAdverInterval.multipliedBy(3).plus(skewTime());
    }

    /** The advertisement interval learnt from the master (v3), or ours. */
    public Duration masterAdverInterval() {
        return masterAdverInterval;
    }

    /** When {@link #poll()} has work next, or null when no timer runs. */
    public Instant nextDeadline() {
        if (state == VrrpState.MASTER) {
            return earliest(earliest(adverAt, secondBurstAt), refreshAt);
        }
        return state == VrrpState.BACKUP ? masterDownAt : null;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    // ---- events -------------------------------------------------------------------------------------

    /** Startup event (RFC 5798 6.4.1). Also used to leave FAULT. */
    public void start() {
        if (state != VrrpState.INITIALIZE) {
            return;
        }
        if (!faults.isEmpty()) {
            transition(VrrpState.FAULT);
            return;
        }
        leaveInitialize();
    }

    /**
     * Startup event of a restart that found the VIPs still on the interface (a crash of ours left them) while no
     * other master is known: the instance starts as the RFC says (Backup, waiting Master_Down_Interval; Master at once
     * if address owner) but, as a backup, keeps the VIPs instead of removing them, so the site never loses them; it
     * becomes master when the wait ends. Not part of RFC 5798: the RFC's router has no VIPs before it is master.
     * The VIPs go at once when an advert of a live master (priority above 0: a better one, or a worse one we are
     * about to preempt, which holds them meanwhile) arrives, on {@link #releaseHeldVips()} (another master seen by
     * other means), on a fault and at stop.
     */
    public void startHoldingVips() {
        start();
        if (state == VrrpState.BACKUP) {
            holdingVips = true;
        } else if (state != VrrpState.MASTER) {
            transport.removeVips(config); // FAULT: a router in fault holds nothing
        }
    }

    /** Whether this backup still holds the VIPs it kept at start ({@link #startHoldingVips()}). */
    public boolean holdingVips() {
        return holdingVips;
    }

    /** Another master is known (other than by its adverts): the VIPs kept at start go now; the wait goes on. */
    public void releaseHeldVips() {
        if (holdingVips) {
            holdingVips = false;
            transport.removeVips(config);
        }
    }

    /** Shutdown event: a master sends priority 0 so a backup takes over after Skew_Time. */
    public void stop() {
        releaseHeldVips();
        if (state == VrrpState.MASTER) {
            releaseMaster(true);
        }
        masterDownAt = null;
        adverAt = null;
        transition(VrrpState.INITIALIZE);
    }

    /** Fires the timers that are due. */
    public void poll() {
        Instant now = clock.instant();
        if (state == VrrpState.BACKUP && masterDownAt != null && !now.isBefore(masterDownAt)) {
            // 6.4.2: Master_Down_Timer fires
            if (standingDown) {
                masterDownAt = now.plus(masterDownInterval()); // held as backup: it would only take the VIPs back
            } else {
                becomeMaster();
            }
        } else if (state == VrrpState.MASTER) {
            if (adverAt != null && !now.isBefore(adverAt)) {
                // 6.4.3: Adver_Timer fires
                sendAdvert(priority);
                adverAt = now.plus(config.advertInterval());
            }
            if (secondBurstAt != null && !now.isBefore(secondBurstAt)) {
                secondBurstAt = null;
                announceBurst();
            }
            if (refreshAt != null && !now.isBefore(refreshAt)) {
                refreshAt = now.plus(announcePolicy.refresh());
                announceBurst();
            }
        }
    }

    private void announceBurst() {
        for (int i = 0; i < announcePolicy.repeat(); i++) {
            transport.announceVips(config);
        }
    }

    /** A packet from the socket: validated (and counted), then processed if accepted. */
    public AdvertisementValidator.Verdict receive(ReceivedPacket packet) {
        AdvertisementValidator.Verdict verdict = validator.check(packet);
        if (verdict.accepted()) {
            onAdvertisement(verdict.advertisement(), packet.source());
        }
        return verdict;
    }

    private void onAdvertisement(Advertisement ad, InetAddress source) {
        Instant now = clock.instant();
        lastAdvertAt = now;
        lastAdvertPriority = ad.priority();
        if (ad.priority() == 0) {
            stats.increment(VrrpCounter.PRI_ZERO_RCVD);
        }
        if (state == VrrpState.BACKUP && ad.priority() > 0) {
            releaseHeldVips(); // a live master holds (or is about to hold) the VIPs
        }
        switch (state) {
            case BACKUP -> backupReceives(ad, source, now);
            case MASTER -> masterReceives(ad, source, now);
            default -> {
                // INITIALIZE and FAULT ignore adverts
            }
        }
    }

    /** RFC 5798 6.4.2, "If an ADVERTISEMENT is received". */
    private void backupReceives(Advertisement ad, InetAddress source, Instant now) {
        if (ad.priority() == 0) {
            masterDownAt = now.plus(skewTime());
            return;
        }
        boolean lower = ad.priority() < priority;
        if (!config.preempt() || !lower || preemptDelayRunning(now)) {
            masterAddress = source;
            if (config.version() == VrrpVersion.V3) {
                masterAdverInterval = ad.intervalDuration();
            }
            masterDownAt = now.plus(masterDownInterval());
        }
        // else: a lower-priority master and we preempt: discard, so Master_Down_Timer fires
    }

    /** keepalived's preempt_delay: the delay starts when a lower-priority master is first seen. */
    private boolean preemptDelayRunning(Instant now) {
        if (config.preemptDelay().isZero()) {
            return false;
        }
        if (preemptAt == null) {
            preemptAt = now.plus(config.preemptDelay());
        }
        return now.isBefore(preemptAt);
    }

    /** RFC 5798 6.4.3, "If an ADVERTISEMENT is received". */
    private void masterReceives(Advertisement ad, InetAddress source, Instant now) {
        if (ad.priority() == 0) {
            sendAdvert(priority);
            adverAt = now.plus(config.advertInterval());
            return;
        }
        if (ad.priority() > priority
                || (ad.priority() == priority && compareUnsigned(source, config.primaryAddress()) > 0)) {
            adverAt = null;
            masterAddress = source;
            if (config.version() == VrrpVersion.V3) {
                masterAdverInterval = ad.intervalDuration();
            }
            releaseMaster(false);
            masterDownAt = now.plus(masterDownInterval());
            transition(VrrpState.BACKUP);
        } else {
            // another router claims to be master and loses to us: two masters until it hears us. The RFC only
            // discards the advert; like keepalived (an advert unless vrrp_lower_prio_no_advert, gratuitous ARPs with
            // vrrp_garp_lower_prio_repeat) we answer at once with our own advert, so that it steps down now, and
            // announce the VIPs again, so that the hosts that
            // learnt the loser's MAC while it was master (a split brain that has just ended) come back to us.
            // At most once per advert interval, however many losers speak.
            stats.increment(VrrpCounter.SPLIT_BRAIN);
            if (reassertAt == null || !now.isBefore(reassertAt)) {
                reassertAt = now.plus(config.advertInterval());
                sendAdvert(priority);
                adverAt = now.plus(config.advertInterval());
                announceBurst();
            }
        }
    }

    /** A tracked interface (or the instance's own) lost its link: FAULT until every fault clears. */
    public void linkDown(String interfaceName) {
        addFault(interfaceName);
    }

    /** A tracked interface's link came back; with no fault left the instance starts again (Backup, or Master if owner). */
    public void linkUp(String interfaceName) {
        clearFault(interfaceName);
    }

    void addFault(String reason) {
        boolean first = faults.isEmpty();
        faults.add(reason);
        releaseHeldVips();
        if (first && state != VrrpState.INITIALIZE) {
            if (state == VrrpState.MASTER) {
                releaseMaster(true);
            }
            masterDownAt = null;
            adverAt = null;
            transition(VrrpState.FAULT);
        }
    }

    void clearFault(String reason) {
        if (faults.remove(reason) && faults.isEmpty() && state == VrrpState.FAULT) {
            leaveInitialize();
        }
    }

    // ---- sync groups ----------------------------------------------------------------------------------

    /** A sync-group peer became master: follow unless stopped or in fault. */
    void syncToMaster() {
        if (state == VrrpState.BACKUP && !standingDown) {
            becomeMaster();
        }
    }

    /** A sync-group peer fell back to backup: follow. */
    void syncToBackup() {
        if (state == VrrpState.MASTER) {
            adverAt = null;
            releaseMaster(true);
            masterAdverInterval = config.advertInterval();
            masterDownAt = clock.instant().plus(masterDownInterval());
            transition(VrrpState.BACKUP);
        }
    }

    // ---- planned switch-over (issue 16): an effective priority and a release ---------------------------

    /**
     * Runs with {@code newPriority} instead of the configured priority (1-254; an address owner keeps 255):
     * it is what the adverts carry, what Skew_Time is computed from and what received adverts are compared
     * with, until set back with {@link #clearEffectivePriority()}. A master tells the backups at once (one
     * advert now, the Adver_Timer restarted); a backup acts on it at the next advert it receives.
     */
    public void setEffectivePriority(int newPriority) {
        if (newPriority < 1 || newPriority > 254) {
            throw new IllegalArgumentException("an effective priority is 1-254, not " + newPriority);
        }
        if (config.isAddressOwner()) {
            throw new IllegalStateException("the address owner (priority 255) keeps its priority");
        }
        changePriority(newPriority);
    }

    /** Back to the configured priority. */
    public void clearEffectivePriority() {
        changePriority(config.priority());
    }

    private void changePriority(int newPriority) {
        if (newPriority == priority) {
            return;
        }
        priority = newPriority;
        if (state == VrrpState.MASTER) {
            sendAdvert(priority);
            adverAt = clock.instant().plus(config.advertInterval());
        }
    }

    /** The priority in use: the configured one, or the one {@link #setEffectivePriority} set. */
    public int effectivePriority() {
        return priority;
    }

    /**
     * Gives mastership away (a planned switch-over): a master sends priority 0 (RFC 5798 6.4.3 / RFC 3768
     * 6.4.3, as on shutdown), removes its VIPs and becomes backup with a full Master_Down_Interval, so the
     * backup with the best priority takes over after its Skew_Time. Whether this router takes mastership back
     * later is decided as always, by the priorities heard and preempt (a switch-over raises the new master's
     * effective priority for that). Anything but a master is left alone.
     *
     * @return whether it was master and released
     */
    public boolean release() {
        if (state != VrrpState.MASTER) {
            return false;
        }
        adverAt = null;
        releaseMaster(true);
        masterAdverInterval = config.advertInterval();
        masterDownAt = clock.instant().plus(masterDownInterval());
        preemptAt = null;
        transition(VrrpState.BACKUP);
        return true;
    }

    /**
     * Steps down and stays backup (split brain seen through the database, issue 16): a master gives mastership
     * away as {@link #release()} does; then, until {@link #endStandDown()}, the Master_Down_Timer does not make it
     * master (it re-arms): while the path to the other master is cut it hears no adverts, so without this it would
     * be master again one Master_Down_Interval later, whatever its priority. Adverts are still received and
     * processed as by any backup; a fault and a stop still act as always.
     *
     * @return whether it was master and released
     */
    public boolean standDown() {
        standingDown = true;
        return release();
    }

    /** The hold of {@link #standDown()} ends: the Master_Down_Timer (running as for any backup) acts again. */
    public void endStandDown() {
        standingDown = false;
    }

    /** Whether it is held as backup by {@link #standDown()}. */
    public boolean standingDown() {
        return standingDown;
    }

    // ---- transitions ------------------------------------------------------------------------------------

    private void leaveInitialize() {
        Instant now = clock.instant();
        if (config.isAddressOwner() && !standingDown) {
            becomeMaster();
        } else {
            masterAdverInterval = config.advertInterval();
            masterDownAt = now.plus(masterDownInterval());
            preemptAt = null;
            transition(VrrpState.BACKUP);
        }
    }

    private void becomeMaster() {
        Instant now = clock.instant();
        masterDownAt = null;
        holdingVips = false; // kept ones are ours now (adding them again is harmless)
        transport.addVips(config);
        sendAdvert(priority);
        announceBurst();
        adverAt = now.plus(config.advertInterval());
        secondBurstAt = announcePolicy.secondBurstDelay().isZero() ? null : now.plus(announcePolicy.secondBurstDelay());
        refreshAt = announcePolicy.refresh().isZero() ? null : now.plus(announcePolicy.refresh());
        masterAddress = config.primaryAddress();
        stats.increment(VrrpCounter.BECOME_MASTER);
        transition(VrrpState.MASTER);
    }

    private void releaseMaster(boolean sendPriorityZero) {
        secondBurstAt = null;
        refreshAt = null;
        if (sendPriorityZero) {
            sendAdvert(0);
        }
        transport.removeVips(config);
        stats.increment(VrrpCounter.RELEASE_MASTER);
        if (masterAddress != null && masterAddress.equals(config.primaryAddress())) {
            masterAddress = null;
        }
    }

    private void sendAdvert(int priority) {
        transport.sendAdvertisement(config, config.advertisement(priority));
        stats.increment(VrrpCounter.ADVERT_SENT);
        if (priority == 0) {
            stats.increment(VrrpCounter.PRI_ZERO_SENT);
        }
    }

    private void transition(VrrpState to) {
        VrrpState from = state;
        if (from == to) {
            return;
        }
        state = to;
        lastTransition = clock.instant();
        for (Listener l : List.copyOf(listeners)) {
            l.transitioned(this, from, to, lastTransition);
        }
    }

    static int compareUnsigned(InetAddress a, InetAddress b) {
        return java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    // ---- views --------------------------------------------------------------------------------------------

    public VrrpState state() {
        return state;
    }

    public VrrpInstanceConfig config() {
        return config;
    }

    /** When the last accepted advert of another router arrived (null: none yet). */
    public Instant lastAdvertAt() {
        return lastAdvertAt;
    }

    /** The priority in that advert (0: its sender was stopping), -1 before any. */
    public int lastAdvertPriority() {
        return lastAdvertPriority;
    }

    public VrrpStats stats() {
        return stats;
    }

    /** {@link VrrpStatus#priority()} is the effective priority. */
    public VrrpStatus status() {
        return new VrrpStatus(config.name(), state, priority, masterAddress, lastTransition);
    }
}
