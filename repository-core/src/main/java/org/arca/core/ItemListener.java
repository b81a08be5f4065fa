package org.arca.core;

import java.util.List;
import org.arca.core.access.Caller;

/**
 * Told after an item's transaction commits, whatever surface made the change (REST, portal, DICOMweb,
 * SFTP). DICOM indexing and text extraction hang here. Called on the writer's thread: long work belongs
 * on an executor of the listener's own. An exception is logged and does not undo the change.
 */
@FunctionalInterface
public interface ItemListener {

    /** What happened to an item. */
    enum Change { CREATED, CONTENT_REPLACED, DELETED }

    /**
     * {@code item} is the item as committed (for DELETED, as it was); {@code facts} are what the ingest steps learnt
     * of its new bytes (a parsed header), so a listener need not parse them again.
     */
    record ItemEvent(Change change, Item item, Caller caller, Facts facts) {
        public ItemEvent(Change change, Item item, Caller caller) {
            this(change, item, caller, Facts.none());
        }
    }

    void itemChanged(ItemEvent event);

    /**
     * Several items changed at once (many uploads recorded together), in order. A listener that stores
     * something per item overrides this to do it in one statement rather than one per item.
     */
    default void itemsChanged(List<ItemEvent> events) {
        events.forEach(this::itemChanged);
    }
}
