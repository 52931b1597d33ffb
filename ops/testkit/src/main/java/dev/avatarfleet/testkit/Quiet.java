package dev.avatarfleet.testkit;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the broker's INFO chatter out of test and stack logs, whichever SLF4J binding is present. */
final class Quiet {

    // why: JUL holds loggers weakly; keep the configured ones alive
    private static final Logger[] KEPT = new Logger[4];

    private Quiet() {
    }

    static synchronized void kafkaLogsAtWarn() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String[] names = {"kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"};
        for (int i = 0; i < names.length; i++) {
            KEPT[i] = Logger.getLogger(names[i]);
            KEPT[i].setLevel(Level.WARNING);
        }
    }
}
