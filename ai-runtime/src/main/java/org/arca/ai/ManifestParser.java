package org.arca.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.arca.ai.worker.OutputKind;
import org.arca.core.ArcaException;

/**
 * Reads {@code model.json} and checks all of it before refusing, so a submitter sees every problem at once
 * (one {@code invalid_manifest} error whose message lists them), not one per try.
 */
final class ManifestParser {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,31}");
    private static final Pattern GRAPH = Pattern.compile("[A-Za-z0-9._-]{1,100}\\.onnx");
    private static final Set<String> ACTIVATIONS = Set.of("none", "softmax", "sigmoid");
    private static final Set<String> SEGMENTATION_TYPES = Set.of("BINARY", "FRACTIONAL");
    private static final Set<String> FRACTIONAL_TYPES = Set.of("PROBABILITY", "OCCUPANCY");
    private static final Set<String> PARAMETER_TYPES = Set.of("number", "text", "choice");

    private final List<String> errors = new ArrayList<>();

    private ManifestParser() {
    }

    static ModelManifest parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw ArcaException.invalid("invalid_manifest", "model.json is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw ArcaException.invalid("invalid_manifest", "model.json must hold a JSON object.");
        }
        return new ManifestParser().read(root);
    }

    private ModelManifest read(JsonNode root) {
        String name = text(root, "name", NAME, "a lower-case name of letters, digits, '.', '_' or '-' (up to 64)");
        String version = text(root, "version", VERSION, "a version such as 1.0.0");
        String description = optionalText(root, "description", "");
        List<String> authors = strings(root, "authors");
        String licence = text(root, "licence", null, "the licence the model is shared under");
        String engine = optionalText(root, "engine", "onnxruntime");
        if (!engine.equals("onnxruntime")) {
            errors.add("engine: only \"onnxruntime\" is available here (TorchScript needs a PyTorch engine Arca does not bundle)");
        }
        String graph = optionalText(root, "graph", "model.onnx");
        if (!GRAPH.matcher(graph).matches()) {
            errors.add("graph: a file name ending in .onnx at the top of the package");
        }
        ModelManifest.InputSpec input = input(object(root, "input"));
        ModelManifest.OutputSpec output = output(object(root, "output"));
        if (input.volume() && output.kind() != OutputKind.LABELMAP) {
            errors.add("output.kind: \"labelmap\" for a volume input (boxes and scores are per frame)");
        }
        List<ModelManifest.ParameterSpec> parameters = parameters(root.path("parameters"));
        JsonNode res = root.path("resources");
        ModelManifest.Resources resources = new ModelManifest.Resources(integer(res, "heapMb", 512, 64, 65536),
                integer(res, "threads", 1, 1, 256), integer(res, "wallSeconds", 600, 1, 86400),
                integer(res, "memoryMb", 2048, 256, 262144));
        if (!errors.isEmpty()) {
            throw ArcaException.invalid("invalid_manifest", "model.json has " + errors.size() + " problem"
                    + (errors.size() == 1 ? "" : "s") + ": " + String.join("; ", errors) + ".");
        }
        return new ModelManifest(name, version, description, authors, licence, engine, graph, input, output, parameters,
                resources);
    }

    private ModelManifest.InputSpec input(JsonNode in) {
        List<String> modalities = strings(in, "modalities");
        if (in.isObject() && modalities.isEmpty()) {
            errors.add("input.modalities: at least one modality, such as \"CT\"");
        }
        String mode = optionalText(in, "mode", "2d");
        if (!mode.equals("2d")) {
            errors.add("input.mode: only \"2d\"; for a volume say \"dimensions\": 3");
        }
        int dimensions = integer(in, "dimensions", 2, 2, 3);
        String pixels = optionalText(in, "pixels", "modality");
        if (!pixels.equals("modality") && !pixels.equals("rgb8")) {
            errors.add("input.pixels: \"modality\" (modality LUT, then window) or \"rgb8\" (rendered 8-bit RGB)");
        }
        JsonNode window = in.path("window");
        Double center = window.isObject() ? number(window, "center", "input.window.center") : null;
        Double width = window.isObject() ? number(window, "width", "input.window.width") : null;
        if (width != null && width <= 0) {
            errors.add("input.window.width: greater than 0");
        }
        int channels = integer(in, "channels", 1, 1, 3);
        if (channels == 2) {
            errors.add("input.channels: 1 or 3");
        }
        List<Double> mean = numbers(in, "mean");
        List<Double> std = numbers(in, "std");
        if (!mean.isEmpty() && mean.size() != channels || !std.isEmpty() && std.size() != channels) {
            errors.add("input.mean and input.std: one value per channel");
        }
        if (std.stream().anyMatch(s -> s <= 0)) {
            errors.add("input.std: values greater than 0");
        }
        String layout = optionalText(in, "layout", dimensions == 3 ? "NCDHW" : "NCHW");
        if (dimensions == 2 && !layout.equals("NCHW") && !layout.equals("NHWC")) {
            errors.add("input.layout: \"NCHW\" or \"NHWC\"");
        }
        JsonNode resize = in.path("resize");
        int w = integer(resize, "width", 0, 0, 8192);
        int h = integer(resize, "height", 0, 0, 8192);
        int d = integer(resize, "depth", 0, 0, 8192);
        int multipleOf = integer(resize, "multipleOf", 0, 0, 1024);
        int maxSide = integer(resize, "maxSide", 0, 0, 8192);
        List<Double> spacing = numbers(in, "spacing");
        if (dimensions == 2) {
            if ((w == 0) != (h == 0)) {
                errors.add("input.resize: width and height together");
            }
            if (d != 0 || !spacing.isEmpty()) {
                errors.add("input.resize.depth and input.spacing: only for \"dimensions\": 3");
            }
        } else {
            volume(pixels, channels, layout, w, h, d, multipleOf, maxSide, spacing);
        }
        return new ModelManifest.InputSpec(modalities, strings(in, "sopClasses"), pixels, center, width, mean, std, w, h,
                multipleOf, maxSide, channels, layout, dimensions, d, spacing);
    }

    /** What a volume input may ask for: modality values in one channel, resampled to a size or to a spacing. */
    private void volume(String pixels, int channels, String layout, int w, int h, int d, int multipleOf, int maxSide,
                        List<Double> spacing) {
        if (!pixels.equals("modality") || channels != 1) {
            errors.add("input.pixels and input.channels: a volume is \"modality\" values in 1 channel");
        }
        if (!layout.equals("NCDHW")) {
            errors.add("input.layout: \"NCDHW\" for a volume");
        }
        if (multipleOf != 0 || maxSide != 0) {
            errors.add("input.resize: a volume takes width, height and depth, not multipleOf or maxSide");
        }
        if ((w == 0) != (h == 0) || (w == 0) != (d == 0)) {
            errors.add("input.resize: width, height and depth together for a volume");
        }
        if (!spacing.isEmpty() && (spacing.size() != 3 || spacing.stream().anyMatch(s -> !(s > 0) || s > 1000))) {
            errors.add("input.spacing: three numbers [x, y, z] in mm, each greater than 0");
        }
        if (!spacing.isEmpty() && w != 0) {
            errors.add("input.spacing and input.resize: one or the other");
        }
    }

    private ModelManifest.OutputSpec output(JsonNode out) {
        OutputKind kind = OutputKind.named(optionalText(out, "kind", "")).orElse(null);
        if (out.isObject() && kind == null) {
            errors.add("output.kind: \"labelmap\", \"boxes\" or \"scores\"");
        }
        String activation = optionalText(out, "activation", "none");
        if (!ACTIVATIONS.contains(activation)) {
            errors.add("output.activation: \"none\", \"softmax\" or \"sigmoid\"");
        }
        double threshold = out.has("threshold") ? number(out, "threshold", "output.threshold") : 0.5;
        List<String> labels = strings(out, "labels");
        if (labels.size() > 255) {
            errors.add("output.labels: at most 255");
        }
        if (kind == OutputKind.SCORES && labels.isEmpty()) {
            errors.add("output.labels: one per score, needed for kind \"scores\"");
        }
        if (new java.util.HashSet<>(labels).size() != labels.size()) {
            errors.add("output.labels: each label once");
        }
        String segmentationType = optionalText(out, "segmentationType", "BINARY");
        if (!SEGMENTATION_TYPES.contains(segmentationType)) {
            errors.add("output.segmentationType: \"BINARY\" (thresholded) or \"FRACTIONAL\" (probabilities)");
        } else if (out.has("segmentationType") && kind != OutputKind.LABELMAP) {
            errors.add("output.segmentationType: only for kind \"labelmap\"");
        }
        String fractionalType = optionalText(out, "fractionalType", "PROBABILITY");
        if (!FRACTIONAL_TYPES.contains(fractionalType)) {
            errors.add("output.fractionalType: \"PROBABILITY\" or \"OCCUPANCY\"");
        } else if (out.has("fractionalType") && !segmentationType.equals("FRACTIONAL")) {
            errors.add("output.fractionalType: only with segmentationType \"FRACTIONAL\"");
        }
        return new ModelManifest.OutputSpec(kind, threshold, integer(out, "minArea", 1, 1, 1 << 24),
                labels.isEmpty() ? List.of("region") : labels, activation, segmentationType, fractionalType);
    }

    private List<ModelManifest.ParameterSpec> parameters(JsonNode list) {
        List<ModelManifest.ParameterSpec> result = new ArrayList<>();
        if (list.isMissingNode()) {
            return result;
        }
        if (!list.isArray()) {
            errors.add("parameters: a list");
            return result;
        }
        for (JsonNode p : list) {
            String name = p.path("name").asText("");
            String type = p.path("type").asText("");
            if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,31}")) {
                errors.add("parameters: each needs a name of letters, digits and '_'");
            }
            if (!PARAMETER_TYPES.contains(type)) {
                errors.add("parameters." + name + ".type: number, text or choice");
            }
            List<String> choices = strings(p, "choices");
            if (type.equals("choice") && choices.isEmpty()) {
                errors.add("parameters." + name + ".choices: the values to choose from");
            }
            JsonNode def = p.path("default");
            Object defaultValue = def.isNumber() ? (Object) def.asDouble() : def.isTextual() ? def.asText() : null;
            result.add(new ModelManifest.ParameterSpec(name, type, defaultValue,
                    p.path("min").isNumber() ? p.get("min").asDouble() : null,
                    p.path("max").isNumber() ? p.get("max").asDouble() : null, choices));
        }
        return result;
    }

    private JsonNode object(JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isObject()) {
            errors.add(field + ": an object is required");
        }
        return node;
    }

    private String text(JsonNode node, String field, Pattern pattern, String what) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank() || pattern != null && !pattern.matcher(value.asText()).matches()) {
            errors.add(field + ": " + what);
            return "";
        }
        return value.asText();
    }

    private String optionalText(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : fallback;
    }

    private List<String> strings(JsonNode node, String field) {
        JsonNode value = node.path(field);
        List<String> result = new ArrayList<>();
        if (value.isMissingNode()) {
            return result;
        }
        if (!value.isArray()) {
            errors.add(field + ": a list of strings");
            return result;
        }
        value.forEach(v -> result.add(v.asText()));
        return result;
    }

    private List<Double> numbers(JsonNode node, String field) {
        JsonNode value = node.path(field);
        List<Double> result = new ArrayList<>();
        if (value.isMissingNode()) {
            return result;
        }
        if (!value.isArray()) {
            errors.add(field + ": a list of numbers");
            return result;
        }
        value.forEach(v -> result.add(v.asDouble()));
        return result;
    }

    private Double number(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.isNumber()) {
            errors.add(path + ": a number");
            return 0.0;
        }
        return value.asDouble();
    }

    private int integer(JsonNode node, String field, int fallback, int min, int max) {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            errors.add(field + ": a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }
}
