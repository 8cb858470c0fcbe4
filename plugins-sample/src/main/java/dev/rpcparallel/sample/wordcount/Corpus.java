package dev.rpcparallel.sample.wordcount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The bundled corpus of {@code rpc-parallel run wordcount}: English-looking text generated from
 * a list of common words drawn with Zipf's law (the word of rank r about 1/r as often as the
 * first), so the top words look like those of real text. The same seed gives the same files,
 * byte for byte, so the repository ships a word list instead of megabytes of text.
 */
final class Corpus {
    /** Common English words, most frequent first. */
    private static final String[] WORDS = ("the of and to a in is it you that he was for on are with as his they"
            + " be at one have this from or had by not word but what some we can out other were all there when up"
            + " use your how said an each she which do their time if will way about many then them write would"
            + " like so these her long make thing see him two has look more day could go come did number sound no"
            + " most people my over know water than call first who may down side been now find any new work part"
            + " take get place made live where after back little only round man year came show every good me give"
            + " our under name very through just form sentence great think say help low line differ turn cause"
            + " much mean before move right boy old too same tell does set three want air well also play small end"
            + " put home read hand port large spell add even land here must big high such follow act why ask men"
            + " change went light kind off need house picture try us again animal point mother world near build"
            + " self earth father head stand own page should country found answer school grow study still learn"
            + " plant cover food sun four between state keep eye never last let thought city tree cross farm hard"
            + " start might story saw far sea draw left late run don't while press close night real life few north"
            + " open seem together next white children begin got walk example ease paper group always music those"
            + " both mark often letter until mile river car feet care second book carry took science eat room"
            + " friend began idea fish mountain stop once base hear horse cut sure watch color face wood main enough"
            + " plain girl usual young ready above ever red list though feel talk bird soon body dog family direct"
            + " pose leave song measure door product black short numeral class wind question happen complete ship"
            + " area half rock order fire south problem piece told knew pass since top whole king space heard best"
            + " hour better true during hundred five remember step early hold west ground interest reach fast verb"
            + " sing listen six table travel less morning ten simple several vowel toward war lay against pattern"
            + " slow center love person money serve appear road map rain rule govern pull cold notice voice unit"
            + " power town fine certain fly fall lead cry dark machine note wait plan figure star box noun field"
            + " rest correct able pound done beauty drive stood contain front teach week final gave green oh quick"
            + " develop ocean warm free minute strong special mind behind clear tail produce fact street inch"
            + " multiply nothing course stay wheel full force blue object decide surface deep moon island foot"
            + " system busy test record boat common gold possible plane stead dry wonder laugh thousand ago ran"
            + " check game shape equate hot miss brought heat snow tire bring yes distant fill east paint language"
            + " among").split(" ");
    private static final double[] CUMULATIVE = cumulativeZipf(WORDS.length);

    private Corpus() {}

    /**
     * Writes {@code files} files of about {@code bytesPerFile} bytes each into {@code directory}
     * (several at a time) and returns their paths in name order.
     */
    static List<Path> generate(Path directory, int files, int bytesPerFile, long seed) {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(directory.resolve(String.format("part-%03d.txt", i)));
        }
        IntStream.range(0, files).parallel().forEach(i -> {
            try {
                Files.writeString(paths.get(i), text(new SplittableRandom(seed * 1_000_003 + i), bytesPerFile),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return List.copyOf(paths);
    }

    /** About {@code bytes} characters of sentences, in lines of at most 80 characters. */
    static String text(SplittableRandom random, int bytes) {
        StringBuilder text = new StringBuilder(bytes + 100);
        int lineStart = 0;
        while (text.length() < bytes) {
            int sentenceWords = 4 + random.nextInt(14);
            for (int w = 0; w < sentenceWords; w++) {
                String word = WORDS[pick(random)];
                if (text.length() - lineStart + word.length() + 2 > 80) {
                    text.append('\n');
                    lineStart = text.length();
                } else if (text.length() > lineStart) {
                    text.append(' ');
                }
                if (w == 0) {
                    text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                } else {
                    text.append(word);
                }
                if (w == sentenceWords - 1) {
                    text.append('.');
                } else if (random.nextInt(12) == 0) {
                    text.append(',');
                }
            }
        }
        return text.append('\n').toString();
    }

    private static int pick(SplittableRandom random) {
        double u = random.nextDouble();
        int low = 0;
        int high = CUMULATIVE.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (CUMULATIVE[mid] < u) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static double[] cumulativeZipf(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / (r + 1);
            cumulative[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cumulative[r] /= sum;
        }
        cumulative[n - 1] = 1.0;
        return cumulative;
    }
}
