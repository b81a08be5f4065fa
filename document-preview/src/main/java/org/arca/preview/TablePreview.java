package org.arca.preview;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * The first rows of a CSV/TSV file or of each sheet of an Excel workbook, as cell text, for a table with
 * sheet tabs. Cells show what Excel shows (formatted values), not formulas.
 */
final class TablePreview {
    static final int MAX_ROWS = 100;
    static final int MAX_COLUMNS = 50;
    static final int MAX_SHEETS = 20;
    private static final int MAX_CELL = 500;

    private TablePreview() {
    }

    static Map<String, Object> delimited(Path file, char delimiter) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean truncated = false;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.DEFAULT.builder().setDelimiter(delimiter).get().parse(in)) {
                if (rows.size() == MAX_ROWS) {
                    truncated = true;
                    break;
                }
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < Math.min(record.size(), MAX_COLUMNS); i++) {
                    cells.add(cut(record.get(i)));
                }
                rows.add(cells);
            }
        } catch (java.nio.charset.MalformedInputException | java.io.UncheckedIOException e) {
            throw new PreviewException("The file is not UTF-8 delimited text.");
        }
        return table(List.of(sheet("data", rows, truncated)));
    }

    static Map<String, Object> workbook(Path file) throws IOException {
        List<Map<String, Object>> sheets = new ArrayList<>();
        DataFormatter format = new DataFormatter();
        try (Workbook book = WorkbookFactory.create(file.toFile(), null, true)) {
            for (int s = 0; s < Math.min(book.getNumberOfSheets(), MAX_SHEETS); s++) {
                Sheet sheet = book.getSheetAt(s);
                List<List<String>> rows = new ArrayList<>();
                boolean truncated = false;
                for (Row row : sheet) {
                    if (rows.size() == MAX_ROWS) {
                        truncated = true;
                        break;
                    }
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < Math.min(Math.max(0, row.getLastCellNum()), MAX_COLUMNS); c++) {
                        Cell cell = row.getCell(c);
                        cells.add(cell == null ? "" : cut(format.formatCellValue(cell)));
                    }
                    rows.add(cells);
                }
                sheets.add(sheet(sheet.getSheetName(), rows, truncated));
            }
        } catch (org.apache.poi.EncryptedDocumentException e) {
            throw new PreviewException("The workbook is encrypted.");
        }
        return table(sheets);
    }

    private static Map<String, Object> sheet(String name, List<List<String>> rows, boolean truncated) {
        Map<String, Object> sheet = new LinkedHashMap<>();
        sheet.put("name", name);
        sheet.put("rows", rows);
        sheet.put("truncated", truncated);
        return sheet;
    }

    private static Map<String, Object> table(List<Map<String, Object>> sheets) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "table");
        result.put("sheets", sheets);
        return result;
    }

    private static String cut(String value) {
        return value.length() <= MAX_CELL ? value : value.substring(0, MAX_CELL) + "…";
    }
}
