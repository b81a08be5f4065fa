package org.arca.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;

/** Checks a job's parameters against the manifest's declarations and fills in defaults; every problem is listed. */
final class JobParameters {
    private JobParameters() {
    }

    static Map<String, Object> validate(List<ModelManifest.ParameterSpec> specs, Map<String, Object> given) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                errors.add(name + ": the model has no such parameter");
            }
        }
        for (ModelManifest.ParameterSpec spec : specs) {
            Object value = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue();
            if (value == null) {
                errors.add(spec.name() + ": required");
                continue;
            }
            switch (spec.type()) {
                case "number" -> {
                    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                        errors.add(spec.name() + ": a number");
                    } else if (spec.min() != null && n.doubleValue() < spec.min() || spec.max() != null && n.doubleValue() > spec.max()) {
                        errors.add(spec.name() + ": from " + spec.min() + " to " + spec.max());
                    } else {
                        result.put(spec.name(), n.doubleValue());
                    }
                }
                case "choice" -> {
                    if (!spec.choices().contains(String.valueOf(value))) {
                        errors.add(spec.name() + ": one of " + String.join(", ", spec.choices()));
                    } else {
                        result.put(spec.name(), String.valueOf(value));
                    }
                }
                default -> {
                    if (!(value instanceof String s) || s.length() > 500) {
                        errors.add(spec.name() + ": text of up to 500 characters");
                    } else {
                        result.put(spec.name(), s);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ArcaException.invalid("invalid_parameters", "Parameters: " + String.join("; ", errors) + ".");
        }
        return result;
    }
}
