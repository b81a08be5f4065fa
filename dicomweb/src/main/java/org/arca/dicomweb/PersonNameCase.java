package org.arca.dicomweb;

/**
 * The case-folded form of a person name that QIDO-RS matches by default, so {@code smith} finds
 * {@code SMITH^JOHN} as in Orthanc and dcm4chee. Folding is per code point, so a name keeps its length and a
 * {@code ?} wildcard still stands for one character; accents are kept ({@code fuzzymatching} drops them).
 * The index stores this form beside each name, and a query folds its value the same way.
 */
public final class PersonNameCase {
    private PersonNameCase() {
    }

    public static String fold(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder folded = new StringBuilder(name.length());
        name.codePoints().forEach(c -> folded.appendCodePoint(Character.toUpperCase(c)));
        return folded.toString();
    }
}
