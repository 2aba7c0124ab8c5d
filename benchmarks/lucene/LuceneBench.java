// Lucene's side of benchmarks/lucene_compare.py: its ArabicAnalyzer and BM25, as
// Elasticsearch, OpenSearch and Solr ship them, indexing and searching the same
// documents and queries as `fahras reindex` and `fahras search --batch`.
//
//   java -cp LIB/*:CLASSES LuceneBench index DOCS.tsv INDEX_DIR THREADS
//   java -cp LIB/*:CLASSES LuceneBench search INDEX_DIR QUERIES.tsv TOP THREADS RUN.tsv
//
// DOCS.tsv: id \t title \t body (tabs and newlines already replaced by spaces).
// QUERIES.tsv: qid \t query. RUN.tsv gets qid \t docid \t score, best first.
// Each prints one JSON line of counts and seconds (process start not included;
// the caller times the whole command as well).
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("index")) {
            index(args[1], args[2], Integer.parseInt(args[3]));
        } else if (args.length >= 6 && args[0].equals("search")) {
            search(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
        } else {
            System.err.println("usage: index DOCS.tsv INDEX THREADS | search INDEX QUERIES.tsv TOP THREADS RUN.tsv");
            System.exit(2);
        }
    }

    static void index(String docs, String dir, int threads) throws Exception {
        long started = System.nanoTime();
        IndexWriterConfig config = new IndexWriterConfig(new ArabicAnalyzer());
        config.setRAMBufferSizeMB(256);
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        AtomicInteger count = new AtomicInteger();
        try (IndexWriter writer = new IndexWriter(FSDirectory.open(Paths.get(dir)), config);
             BufferedReader in = Files.newBufferedReader(Paths.get(docs), StandardCharsets.UTF_8)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> pending = new ArrayList<>();
            List<String> batch = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                batch.add(line);
                if (batch.size() == 500) {
                    pending.add(submit(pool, writer, batch, count));
                    batch = new ArrayList<>();
                }
            }
            pending.add(submit(pool, writer, batch, count));
            for (Future<?> f : pending) f.get();
            pool.shutdown();
            writer.commit();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("{\"documents\": %d, \"seconds\": %.3f}%n", count.get(), seconds);
    }

    static Future<?> submit(ExecutorService pool, IndexWriter writer, List<String> lines, AtomicInteger count) {
        return pool.submit(() -> {
            for (String line : lines) {
                String[] f = line.split("\t", 3);
                Document doc = new Document();
                doc.add(new StringField("id", f[0], Field.Store.YES));
                doc.add(new TextField("text", (f.length > 1 ? f[1] : "") + " " + (f.length > 2 ? f[2] : ""), Field.Store.NO));
                writer.addDocument(doc);
                count.incrementAndGet();
            }
            return null;
        });
    }

    static void search(String dir, String queries, int top, int threads, String runPath) throws Exception {
        List<String[]> qs = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(queries), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 2);
            if (f.length == 2) qs.add(f);
        }
        long started = System.nanoTime();
        String[] results = new String[qs.size()];
        long[] nanos = new long[qs.size()];
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> pending = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                pending.add(pool.submit(() -> {
                    Analyzer analyzer = new ArabicAnalyzer();
                    QueryParser parser = new QueryParser("text", analyzer);
                    int i;
                    while ((i = next.getAndIncrement()) < qs.size()) {
                        StringBuilder out = new StringBuilder();
                        long begun = System.nanoTime();
                        try {
                            Query q = parser.parse(QueryParser.escape(qs.get(i)[1]));
                            TopDocs found = searcher.search(q, top);
                            for (ScoreDoc hit : found.scoreDocs) {
                                out.append(qs.get(i)[0]).append('\t')
                                   .append(searcher.storedFields().document(hit.doc).get("id")).append('\t')
                                   .append(hit.score).append('\n');
                            }
                        } catch (Exception e) {
                            // A query of stopwords only parses to nothing: no hits.
                        }
                        nanos[i] = System.nanoTime() - begun;
                        results[i] = out.toString();
                    }
                    return null;
                }));
            }
            for (Future<?> f : pending) f.get();
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        try (BufferedWriter w = Files.newBufferedWriter(Paths.get(runPath), StandardCharsets.UTF_8)) {
            for (String r : results) w.write(r);
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
        double p95 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.95))] / 1e6;
        System.out.printf("{\"queries\": %d, \"seconds\": %.3f, \"p50_ms\": %.3f, \"p95_ms\": %.3f}%n", qs.size(), seconds, p50, p95);
    }
}
