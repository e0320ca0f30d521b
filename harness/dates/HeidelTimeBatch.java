// Runs HeidelTime standalone over many documents in one JVM, so that its start-up (UIMA, the rule
// resources, TreeTagger) is paid once per batch rather than once per document. Launched by
// harness/dates/heideltime.py as `java -cp <heideltime jar> HeidelTimeBatch.java CONFIG JOBS`, where
// JOBS is a UTF-8 file of tab-separated lines `DCT-day <TAB> input file <TAB> output file`. Each
// document is processed exactly as the standalone command line does (English, NEWS, TimeML, the
// TreeTagger POS tagger, no interval tagging) and its TimeML is written, UTF-8, to its output file.
import de.unihd.dbs.heideltime.standalone.DocumentType;
import de.unihd.dbs.heideltime.standalone.HeidelTimeStandalone;
import de.unihd.dbs.heideltime.standalone.OutputType;
import de.unihd.dbs.heideltime.standalone.POSTagger;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.List;

public class HeidelTimeBatch {
    public static void main(String[] args) throws Exception {
        HeidelTimeStandalone tagger = new HeidelTimeStandalone(
                Language.ENGLISH, DocumentType.NEWS, OutputType.TIMEML, args[0], POSTagger.TREETAGGER);
        SimpleDateFormat day = new SimpleDateFormat("yyyy-MM-dd");
        List<String> jobs = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        for (String job : jobs) {
            if (job.isEmpty()) continue;
            String[] f = job.split("\t");
            String text = Files.readString(Path.of(f[1]), StandardCharsets.UTF_8);
            String timeml = tagger.process(text, day.parse(f[0]));
            Files.writeString(Path.of(f[2]), timeml, StandardCharsets.UTF_8);
        }
    }
}
