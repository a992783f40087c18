/**
 * Starting, watching and stopping external programs (mitmdump, the Grid JVMs, Appium servers): a command line, a
 * log file, the log's tail and hints for error messages, a bounded readiness wait and a stop with a grace period
 * before the kill. Also what starting them needs around that: free loopback ports, an HTTP readiness probe and the
 * Consentry checkout the programs are installed in.
 */
package dev.consentry.process;
