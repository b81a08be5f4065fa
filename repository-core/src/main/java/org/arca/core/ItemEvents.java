package org.arca.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arca.core.access.Caller;
import org.arca.core.search.SearchIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the item listeners, then the search index, of committed changes: whatever surface made them, after their
 * commit, on the writer's thread. A listener's failure is logged and undoes nothing.
 */
final class ItemEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ItemEvents.class);

    private final List<ItemListener> listeners = new CopyOnWriteArrayList<>();
    private final SearchIndex search;

    ItemEvents(SearchIndex search) {
        this.search = search;
    }

    void add(ItemListener listener) {
        listeners.add(listener);
    }

    void announce(ItemListener.ItemEvent event) {
        tell(List.of(event));
        // Last, so what other listeners stored (the DICOM index rows) is there when the document is built.
        if (event.change() == ItemListener.Change.DELETED) {
            search.itemDeleted(event.item().id());
        } else {
            search.itemChanged(event.item().id());
        }
    }

    void tell(List<ItemListener.ItemEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (ItemListener listener : listeners) {
            try {
                listener.itemsChanged(events);
            } catch (RuntimeException e) {
                LOG.warn("item listener {} failed for {} item(s) from item {}", listener.getClass().getName(),
                        events.size(), events.get(0).item().id(), e);
            }
        }
    }

    void notifyDeleted(Caller caller, List<Item> items) {
        for (Item item : items) {
            announce(new ItemListener.ItemEvent(ItemListener.Change.DELETED, item, caller));
        }
    }

    /** Tells the listeners, then the search index, of committed changes. */
    void announce(List<ItemListener.ItemEvent> events) {
        tell(events);
        // Last, so what the listeners stored (the DICOM index rows) is there when the documents are built.
        search.itemsChanged(events.stream().map(e -> e.item().id()).distinct().toList());
    }

    /** A change the listeners need not hear of (a rename, a move), for the search index alone. */
    void searchChanged(String itemId) {
        search.itemChanged(itemId);
    }
}
