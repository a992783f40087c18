/**
 * Starting, watching and stopping external programs (mitmdump, and for other parts of the lab the Grid JVMs and
 * Appium servers): a command line, a log file, the log's tail for error messages, a bounded readiness wait and a
 * stop with a grace period before the kill.
 */
package dev.consentry.process;
