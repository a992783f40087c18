/** The sink: a local HTTP server standing in for every server on the internet while captures run in sink mode. */
package dev.consentry.sink;
