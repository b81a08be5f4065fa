package org.arca.core.search;

import org.arca.core.StoredFile;

/**
 * Adds what another module knows about a file to its search document: the DICOM index contributes study
 * and series attributes, text extraction the words inside documents. Registered at wiring time through
 * {@link SearchIndex#addContributor}, so the core stays ignorant of DICOM and Tika. Called on the index's
 * own thread, possibly for many files in a row: it should read what it already stored, not parse files.
 */
@FunctionalInterface
public interface SearchContributor {

    void contribute(StoredFile file, SearchFields fields);
}
