package org.arca.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP Accept header (RFC 9110 12.5.1). {@code ranges}: the acceptable media ranges in the client's order of
 * preference, highest q first, the header's own order among equals; ranges with q=0 are "not acceptable" and left
 * out. {@code all}: every range in the header's order, q=0 ones included, for {@link #weight}. Parameter values may
 * be quoted (commas and semicolons inside quotes belong to the value); type, subtype and parameter names are
 * compared lowercase, parameter values as sent.
 */
record AcceptHeader(List<MediaRange> ranges, List<MediaRange> all) {

    /** One media range: {@code type} is "type/subtype" lowercase, e.g. "multipart/related" or "*&#47;*". */
    record MediaRange(String type, Map<String, String> parameters, double q) {
        String parameter(String name) {
            return parameters.get(name);
        }

        /** True when this range names {@code concrete} exactly or through a wildcard ("image/*", "*&#47;*"). */
        boolean covers(String concrete) {
            return AcceptHeader.covers(type, concrete);
        }
    }

    /** The header's ranges; an absent or blank header accepts anything ("*&#47;*"). */
    static AcceptHeader parse(String header) {
        if (header == null || header.isBlank()) {
            List<MediaRange> any = List.of(new MediaRange("*/*", Map.of(), 1));
            return new AcceptHeader(any, any);
        }
        List<MediaRange> all = new ArrayList<>();
        for (String range : split(header, ',')) {
            List<String> parts = split(range, ';');
            String type = parts.get(0).strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            double q = 1;
            for (String parameter : parts.subList(1, parts.size())) {
                int eq = parameter.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(parameter.substring(eq + 1).strip());
                if (name.equals("q")) {
                    q = quality(value);
                } else {
                    parameters.put(name, value);
                }
            }
            all.add(new MediaRange(type, Map.copyOf(parameters), q));
        }
        List<MediaRange> ranges = new ArrayList<>(all.stream().filter(range -> range.q() > 0).toList());
        ranges.sort(Comparator.comparingDouble(MediaRange::q).reversed());
        return new AcceptHeader(List.copyOf(ranges), List.copyOf(all));
    }

    /**
     * The weight the client gives {@code mediaType} ("application/dicom+json"): the q of the most specific range
     * naming it (exactly, then by its type's wildcard, then by any), the first such in the header; 0 when no range
     * names it or that range has q=0 (RFC 9110 12.5.1).
     */
    double weight(String mediaType) {
        int bestSpecificity = -1;
        double q = 0;
        for (MediaRange range : all) {
            int specificity = specificity(range.type(), mediaType.toLowerCase(Locale.ROOT));
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = range.q();
            }
        }
        return q;
    }

    /** How closely {@code range} names {@code concrete}: 2 exactly, 1 by its type's wildcard, 0 by any, -1 not. */
    private static int specificity(String range, String concrete) {
        if (range.equals("*/*") || range.equals("*")) {
            return 0;
        }
        if (range.endsWith("/*")) {
            return concrete.startsWith(range.substring(0, range.length() - 1)) ? 1 : -1;
        }
        return range.equals(concrete) ? 2 : -1;
    }

    /** True when {@code range} ("image/*", "*&#47;*" or a full type) includes the media type {@code concrete}. */
    static boolean covers(String range, String concrete) {
        String r = range.toLowerCase(Locale.ROOT);
        String c = concrete.toLowerCase(Locale.ROOT);
        if (r.equals("*/*") || r.equals("*")) {
            return true;
        }
        if (r.endsWith("/*")) {
            return c.startsWith(r.substring(0, r.length() - 1));
        }
        return r.equals(c);
    }

    /** A q value (RFC 9110 12.4.2): 0 to 1; anything unreadable counts as 1, as if it were absent. */
    private static double quality(String value) {
        try {
            double q = Double.parseDouble(value);
            return Double.isNaN(q) ? 1 : Math.max(0, Math.min(1, q));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** Splits on {@code separator} outside double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }
}
