package org.arca.preview;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Scales an image to fit a box as PNG, with whatever ImageIO readers are on the class path (JPEG, PNG, GIF,
 * BMP, TIFF, WebP where a reader exists). Large images are subsampled while decoding, so a 20,000-pixel
 * photo does not need its full size in memory; dimensions beyond {@link #MAX_PIXELS} are refused.
 */
final class ImageScaler {
    static final int BOX = 1200;
    private static final long MAX_PIXELS = 400_000_000L;

    private ImageScaler() {
    }

    static void scale(Path input, Path png) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(input.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new PreviewException("There is no image reader for this file.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw new PreviewException("The image is too large to preview (" + width + "×" + height + ").");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (BOX * 2));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = reader.read(0, param);
                ImageIO.write(fit(image), "png", png.toFile());
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage fit(BufferedImage image) {
        double scale = Math.min(1.0, (double) BOX / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
