/**
 * Starting, watching and stopping external processes (Grid JVMs, Appium servers). Generic on purpose: it lives here
 * only until the shared {@code dev.consentry.process} package exists, then merges into it.
 */
package dev.consentry.grid.process;
