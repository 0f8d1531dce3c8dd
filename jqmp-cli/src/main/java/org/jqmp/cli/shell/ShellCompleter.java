package org.jqmp.cli.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** JLine's view of the {@link CommandCatalog}: the first word is a command, later words its argument keys. */
final class ShellCompleter implements Completer {
    private final CommandCatalog catalog;

    ShellCompleter(CommandCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        List<String> words = line.words();
        int first = !words.isEmpty() && words.getFirst().equals("transaction(") ? 1 : 0;
        if (line.wordIndex() <= first) {
            for (String command : catalog.commands()) {
                candidates.add(new Candidate(command));
            }
            if (first == 0) {
                candidates.add(new Candidate("transaction("));
            }
            return;
        }
        for (String key : catalog.arguments(words.get(first), word)) {
            // no space after "key=" or "key.": the value or the nested key follows at once
            candidates.add(new Candidate(key, key, null, null, null, null, false));
        }
    }
}
