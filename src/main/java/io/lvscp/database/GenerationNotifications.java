package io.lvscp.database;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * PostgreSQL only: {@code LISTEN lvscp_generation} on one connection of its own, so that a committed
 * change (whose transaction runs {@code NOTIFY lvscp_generation}, see
 * {@link io.lvscp.model.ConfigGeneration#bump}) wakes every director's node agent at once instead of
 * at its next poll. The poll stays: it is the fallback when the connection is lost (it is opened again
 * every second) or a notification is missed. On H2 the thread ends at once.
 */
public class GenerationNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GenerationNotifications.class);
    public static final String CHANNEL = "lvscp_generation";

    private final DataSource dataSource;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile boolean running;

    public GenerationNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs on the listening thread after each notification: must return at once. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    private void listen() {
        Connection c = null;
        Method getNotifications = null;
        Object pg = null;
        boolean reconnect = false;
        while (running) {
            try {
                if (c == null) {
                    c = dataSource.getConnection();
                    Class<?> type;
                    try {
                        type = Class.forName("org.postgresql.PGConnection");
                    } catch (ClassNotFoundException e) {
                        type = null;
                    }
                    if (type == null || !c.isWrapperFor(type)) {
                        c.close();
                        return; // not PostgreSQL: the poll alone
                    }
                    pg = c.unwrap(type);
                    getNotifications = type.getMethod("getNotifications", int.class);
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                    if (reconnect) { // a change committed while nobody listened is caught up at once
                        listeners.forEach(GenerationNotifications::runQuietly);
                    }
                    reconnect = true;
                }
                Object[] n = (Object[]) getNotifications.invoke(pg, 500);
                if (n != null && n.length > 0) {
                    listeners.forEach(GenerationNotifications::runQuietly);
                }
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
                log.debug("LISTEN {}: {} (the poll goes on; retrying in 1 s)", CHANNEL, cause.toString());
                close(c);
                c = null;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        close(c);
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("generation listener failed: {}", e.toString());
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // gone already
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::listen, "generation-listen");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
