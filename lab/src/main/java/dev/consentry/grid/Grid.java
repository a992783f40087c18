package dev.consentry.grid;

import java.net.URI;
import java.util.List;

/** A Selenium Grid sessions are requested from: one we started ({@link GridHub}) or a lab's own ({@link ExistingGrid}). */
public interface Grid {
    /** Where RemoteWebDriver / AppiumDriver sessions are requested. */
    URI url();

    /** The registered nodes, as the hub's GraphQL reports them now. */
    List<GridNode> nodes();

    /** The running sessions and the node each runs on. */
    List<GridSession> sessions();
}
