// Runs EPUBCheck on many files in one JVM (starting EPUBCheck costs seconds per file).
// Usage: java -cp 'epubcheck.jar:lib/*' tests/epubcheck_batch.java FILE.epub...
// Prints one line per file, "N fatal / N errors / N warnings  FILE", then every message of the
// files that are not clean; exits 1 if any file has a fatal error, an error or a warning.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class epubcheck_batch {
    public static void main(String[] args) {
        int bad = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            int fatal = report.getFatalErrorCount();
            int errors = report.getErrorCount();
            int warnings = report.getWarningCount();
            System.out.printf("%d fatal / %d errors / %d warnings  %s%n", fatal, errors, warnings, path);
            if (fatal + errors + warnings > 0) bad++;
        }
        System.out.printf("%d of %d files not clean%n", bad, args.length);
        System.exit(bad == 0 ? 0 : 1);
    }
}
