package org.arca.core;

import java.util.List;

/**
 * Told after an item's transaction commits, whatever surface made the change (REST, portal, DICOMweb,
 * SFTP). DICOM indexing and text extraction hang here. Called on the writer's thread: long work belongs
 * on an executor of the listener's own. An exception is logged and does not undo the change.
 */
@FunctionalInterface
public interface ItemListener {

    /** What happened to an item. */
    enum Change { CREATED, CONTENT_REPLACED, DELETED }

    /** {@code item} is the item as committed (for DELETED, as it was). */
    record ItemEvent(Change change, Item item, Caller caller) {
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
