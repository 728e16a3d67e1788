#include "jsonpointer.h"
#include "parser.h"
#include "sourcearrival.h"
#include "sourcetext.h"

#include <QtTest>

#include <chrono>
#include <thread>

using namespace portolan;

namespace {

QByteArray bytes(const char *text) { return QByteArray(text); }

TextPosition errorPosition(const QByteArray &source, const ParseResult &result)
{
    return LineIndex(source).position(result.error->offset);
}

// Every value of a tree with its kind, offset, text and keys, in order.
QString describe(const NodeTree &tree, NodeId id)
{
    const Node &n = tree.node(id);
    QString out = QStringLiteral("%1@%2").arg(int(n.kind)).arg(n.offset);
    if (n.kind != NodeKind::Object && n.kind != NodeKind::Array) {
        const std::string_view text = tree.text(id);
        return out + QLatin1Char('=') + QString::fromUtf8(text.data(), qsizetype(text.size()));
    }
    out += QLatin1Char('(');
    for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
        const std::string_view key = m->key();
        out += QString::fromUtf8(key.data(), qsizetype(key.size())) + QLatin1Char(':') + describe(tree, m->value) + QLatin1Char(',');
    }
    return out + QLatin1Char(')');
}

// Parses `source` as it arrives in `buffer` from another thread, `chunk`
// bytes at a time, `total` of them in all (fewer: the reading fails short).
// As the loader's does, the reading thread then faults the tree's arrays in
// ahead of the parser.
ParseResult parseArriving(const QByteArray &source, qint64 chunk, qint64 total)
{
    QByteArray buffer(source.size(), Qt::Uninitialized);
    char *const data = buffer.data();
    SourceArrival arrival(source.size());
    std::thread reader([&] {
        for (qint64 done = 0; done < total;) {
            const qint64 n = std::min(chunk, total - done);
            std::memcpy(data + done, source.constData() + done, std::size_t(n));
            done += n;
            arrival.arrived(done);
            if ((done / chunk) % 16 == 0)
                std::this_thread::sleep_for(std::chrono::microseconds(200));  // the parser catches up and waits
        }
        arrival.ended(total);
        arrival.faultAhead();
    });
    ParseResult result = parseJsonOrYaml(buffer, {}, nullptr, &arrival);
    arrival.parseEnded();
    reader.join();
    return result;
}

} // namespace

class ParserTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonValues()
    {
        const QByteArray src = bytes("{\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u00e9\\n\\ud83d\\ude00\", \"c\": {}}");
        const ParseResult r = parseJson(src);
        QVERIFY(!r.error);
        const NodeTree &t = r.tree;
        const NodeId a = t.member(t.root(), "a");
        QCOMPARE(t.node(a).count, 5u);
        QCOMPARE(t.kind(t.element(a, 0)), NodeKind::Number);
        QCOMPARE(t.text(t.element(a, 1)), std::string_view("-2.5e3"));
        QVERIFY(t.boolValue(t.element(a, 2), false));
        QVERIFY(!t.boolValue(t.element(a, 3), true));
        QCOMPARE(t.kind(t.element(a, 4)), NodeKind::Null);
        QCOMPARE(QString::fromUtf8(t.text(t.member(t.root(), "b")).data()).left(4), QStringLiteral("xé\n") + QChar(0xD83D));
        QCOMPARE(t.node(t.member(t.root(), "c")).count, 0u);
    }

    void jsonPositionsOfValues()
    {
        const QByteArray src = bytes("{\n  \"paths\": {\n    \"/pets\": {\"get\": 1}\n  }\n}\n");
        const ParseResult r = parseJson(src);
        QVERIFY(!r.error);
        const NodeId pets = r.tree.member(r.tree.member(r.tree.root(), "paths"), "/pets");
        const TextPosition pos = LineIndex(src).position(r.tree.node(pets).offset);
        QCOMPARE(pos.line, 3);
        QCOMPARE(pos.column, 14);
    }

    void jsonErrors_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing comma") << bytes("{\n  \"a\": 1\n  \"b\": 2\n}") << 3 << 3 << "expected ',' or '}'";
        QTest::newRow("trailing comma") << bytes("[1,\n 2,\n]") << 3 << 1 << "expected a value";
        QTest::newRow("bad literal") << bytes("{\"a\": tru}") << 1 << 7 << "invalid literal";
        QTest::newRow("unterminated string") << bytes("{\"a\": \"abc") << 1 << 7 << "unterminated string";
        QTest::newRow("bad escape") << bytes("[\"a\\qb\"]") << 1 << 4 << "invalid escape";
        QTest::newRow("leading zero") << bytes("[01]") << 1 << 3 << "expected ',' or ']'";
        QTest::newRow("column counts characters") << bytes("{\"é\": x}") << 1 << 7 << "unexpected character";
        QTest::newRow("text after value") << bytes("{} {}") << 1 << 4 << "unexpected text after";
        QTest::newRow("empty") << bytes("  ") << 1 << 3 << "unexpected end of input";
    }

    void jsonErrors()
    {
        QFETCH(QByteArray, source);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const ParseResult r = parseJson(source);
        QVERIFY(r.error);
        QVERIFY2(r.error->message.contains(message), qPrintable(r.error->message));
        const TextPosition pos = errorPosition(source, r);
        QCOMPARE(pos.line, line);
        QCOMPARE(pos.column, column);
    }

    void deepNestingIsAnErrorNotACrash_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::newRow("json array") << QByteArray(100'000, '[') + QByteArray(100'000, ']');
        QTest::newRow("json object") << QByteArray().append(QByteArray("{\"a\":").repeated(100'000)).append(QByteArray(100'000, '}'));
        QTest::newRow("yaml flow") << QByteArray("a: ") + QByteArray(100'000, '[') + QByteArray(100'000, ']');
        QByteArray block;
        for (int i = 0; i < 2000; ++i)
            block += QByteArray(i, ' ') + "k:\n";
        QTest::newRow("yaml block") << block;
    }

    void deepNestingIsAnErrorNotACrash()
    {
        QFETCH(QByteArray, source);
        const ParseResult r = parseJsonOrYaml(source);
        QVERIFY(r.error);
        QVERIFY2(r.error->message.contains(QLatin1String("nesting deeper than")), qPrintable(r.error->message));
    }

    void yamlScalarsFollowTheCoreSchema()
    {
        const QByteArray src = bytes("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: hello\ng: 0x1F\nh: \"true\"\ni:\nj: !!str 3\nk: 2.0\n");
        const ParseResult r = parseYaml(src);
        QVERIFY(!r.error);
        const NodeTree &t = r.tree;
        auto kindOf = [&](const char *key) { return t.kind(t.member(t.root(), key)); };
        QCOMPARE(kindOf("a"), NodeKind::Number);
        QCOMPARE(kindOf("b"), NodeKind::Number);
        QCOMPARE(kindOf("c"), NodeKind::Bool);
        QCOMPARE(kindOf("d"), NodeKind::Null);
        QCOMPARE(kindOf("e"), NodeKind::String);
        QCOMPARE(kindOf("f"), NodeKind::String);
        QCOMPARE(kindOf("g"), NodeKind::String);
        QCOMPARE(kindOf("h"), NodeKind::String);
        QCOMPARE(kindOf("i"), NodeKind::Null);
        QCOMPARE(kindOf("j"), NodeKind::String);
        QCOMPARE(t.text(t.member(t.root(), "k")), std::string_view("2.0"));
    }

    void yamlPositions()
    {
        const QByteArray src = bytes("openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      summary: \"é list\"\n");
        const ParseResult r = parseYaml(src);
        QVERIFY(!r.error);
        const NodeTree &t = r.tree;
        const NodeId summary = t.member(t.member(t.member(t.member(t.root(), "paths"), "/pets"), "get"), "summary");
        QCOMPARE(QString::fromUtf8(t.text(summary).data(), int(t.text(summary).size())), QStringLiteral("é list"));
        const TextPosition pos = LineIndex(src).position(t.node(summary).offset);
        QCOMPARE(pos.line, 5);
        QCOMPARE(pos.column, 16);
    }

    void yamlErrorPosition()
    {
        const QByteArray src = bytes("a: 1\nb: [1, 2\nc: 3\n");
        const ParseResult r = parseYaml(src);
        QVERIFY(r.error);
        const TextPosition pos = errorPosition(src, r);
        QVERIFY2(pos.line >= 2, qPrintable(QString::number(pos.line)));
        QVERIFY(!r.error->message.isEmpty());
    }

    void yamlAliasesAndMergeKeys()
    {
        const QByteArray src = bytes("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n");
        const ParseResult r = parseYaml(src);
        QVERIFY(!r.error);
        const NodeTree &t = r.tree;
        QCOMPARE(t.text(t.member(t.member(t.root(), "use"), "y")), std::string_view("2"));
        const NodeId merged = t.member(t.root(), "merged");
        QCOMPARE(t.text(t.member(merged, "x")), std::string_view("1"));
        QCOMPARE(t.text(t.member(merged, "y")), std::string_view("3"));
        QCOMPARE(t.member(merged, "<<"), kNoNode);
    }

    // Members point at their keys' text: in the source, or decoded into the
    // tree's own blocks. Both must survive moving the tree out of its result.
    void keysSurviveMovingTheTree()
    {
        QByteArray json = "{\"plain\": [1], \"d\\u00e9cod\\u00e9\": 2, \"big\": {";
        for (int i = 0; i < 2 * int(NodeTree::kIndexedMembers); ++i)
            json += QStringLiteral("%1\"k\\u0025%2\": %2").arg(i ? "," : "").arg(i).toUtf8();
        json += "}}";
        ParseResult fromJson = parseJson(json);
        QVERIFY(!fromJson.error);
        const NodeTree j = std::move(fromJson.tree);
        QCOMPARE(j.membersBegin(j.root())[1].key(), std::string_view("d\xC3\xA9" "cod\xC3\xA9"));
        QCOMPARE(j.text(j.member(j.root(), "d\xC3\xA9" "cod\xC3\xA9")), std::string_view("2"));
        const NodeId big = j.member(j.root(), "big");
        QCOMPARE(j.text(j.member(big, "k%40")), std::string_view("40"));
        QCOMPARE(j.membersEnd(big)[-1].key(), std::string_view("k%63"));
        QVERIFY(j.membersBegin(j.member(j.root(), "plain"))->key().empty());

        ParseResult fromYaml = parseYaml(bytes("name: &n \"k\\x41y\"\nbase: &b {x: 1}\nuse:\n  *n : 2\n  <<: *b\n"));
        QVERIFY(!fromYaml.error);
        const NodeTree y = std::move(fromYaml.tree);
        const NodeId use = y.member(y.root(), "use");
        QCOMPARE(y.membersBegin(use)[0].key(), std::string_view("kAy"));
        QCOMPARE(y.membersBegin(use)[1].key(), std::string_view("x"));
        QCOMPARE(y.text(y.member(use, "kAy")), std::string_view("2"));
    }

    // A member packs its key's length in 16 bits; keys of 64 KiB and more are
    // kept another way, and must read back whole all the same.
    void keysOfAnyLengthReadBack_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("escaped");
        for (const int length : {0xFFFE, 0xFFFF, 0x10000, 0x30001}) {
            QTest::addRow("%d bytes", length) << length << false;
            QTest::addRow("%d bytes, decoded", length) << length << true;
        }
    }

    void keysOfAnyLengthReadBack()
    {
        QFETCH(int, length);
        QFETCH(bool, escaped);
        // An escape at the start makes the parser decode the key into the tree's own storage.
        const QByteArray key = QByteArray(escaped ? "\\n" : "k") + QByteArray(length - 1, 'k');
        const std::string decoded = std::string(escaped ? "\n" : "k") + std::string(std::size_t(length - 1), 'k');
        QByteArray json = "{\"before\": 1, \"" + key + "\": 2, \"after\": 3";
        for (int i = 0; i < int(NodeTree::kIndexedMembers); ++i)  // and found through the key index
            json += QStringLiteral(", \"n%1\": 0").arg(i).toUtf8();
        json += "}";
        ParseResult r = parseJson(json);
        QVERIFY(!r.error);
        const NodeTree t = std::move(r.tree);
        QCOMPARE(t.membersBegin(t.root())[1].key().size(), decoded.size());
        QVERIFY(t.membersBegin(t.root())[1].key() == decoded);
        QCOMPARE(t.text(t.member(t.root(), decoded)), std::string_view("2"));
        QCOMPARE(t.membersBegin(t.root())[2].key(), std::string_view("after"));

        // YAML limits implicit keys to 1024 characters: this one is explicit.
        const QByteArray yaml = "before: 1\n? \"" + key + "\"\n: 2\nafter: 3\n";
        ParseResult y = parseYaml(yaml);
        QVERIFY(!y.error);
        QVERIFY(y.tree.membersBegin(y.tree.root())[1].key() == decoded);
        QCOMPARE(y.tree.text(y.tree.member(y.tree.root(), decoded)), std::string_view("2"));
    }

    // A node holds at most Node::kMaxCount members or bytes of text: a longer
    // value is refused where it starts, not cut short.
    void valueTooLargeForTheTreeIsAnError()
    {
        QByteArray source("{\"a\": \"");  // built in place: one 128 MiB buffer, not a copy per `+`
        source.reserve(qsizetype(Node::kMaxCount) + 16);
        source.append(qsizetype(Node::kMaxCount) + 1, 'x').append("\"}");
        const ParseResult r = parseJson(source);
        QVERIFY(r.error);
        QCOMPARE(r.error->offset, 6u);
        QVERIFY2(r.error->message.contains(QLatin1String("too large")), qPrintable(r.error->message));
    }

    void exampleHoldersAreKnownPerSubtree()
    {
        const ParseResult json = parseJson(R"({"a": {"b": [{"example": 1}]}, "c": {"d": {"examples": {}}, "e": {"f": 2}}, "g": 3})");
        QVERIFY(!json.error);
        const NodeTree &t = json.tree;
        const NodeId c = t.member(t.root(), "c");
        QVERIFY(t.mayHoldExample(t.root()));
        QVERIFY(t.mayHoldExample(t.member(t.root(), "a")));
        QVERIFY(t.mayHoldExample(c));
        QVERIFY(t.mayHoldExample(t.member(c, "d")));
        QVERIFY(!t.mayHoldExample(t.member(c, "e")));
        QVERIFY(!t.mayHoldExample(t.member(t.root(), "g")));

    }

    // The members a YAML merge key brings stand where the "<<" was written,
    // so that a mapping's subtree stays an id range: what is looked up by
    // range (examples, pointers) is found in the merged copies too.
    void mergedMembersKeepSubtreesWhole_data()
    {
        QTest::addColumn<QByteArray>("mapping");
        QTest::addColumn<QStringList>("keys");
        QTest::newRow("merge first") << QByteArray("{<<: *b, z: 2}") << QStringList{"x", "w", "z"};
        QTest::newRow("merge last") << QByteArray("{z: 2, <<: *b}") << QStringList{"z", "x", "w"};
        QTest::newRow("own key shadows") << QByteArray("{w: 3, <<: *b}") << QStringList{"w", "x"};
        QTest::newRow("list of merges") << QByteArray("{<<: [*b, *c], z: 2}") << QStringList{"x", "w", "v", "z"};
    }

    void mergedMembersKeepSubtreesWhole()
    {
        QFETCH(QByteArray, mapping);
        QFETCH(QStringList, keys);
        const ParseResult r = parseYaml("b: &b {x: {example: 1}, w: {y: 1}}\nc: &c {v: 0, w: 5}\nm: " + mapping + "\n");
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->message : QString()));
        const NodeTree &t = r.tree;
        const NodeId m = t.member(t.root(), "m");
        QStringList found;
        for (const Member *member = t.membersBegin(m); member != t.membersEnd(m); ++member) {
            found.push_back(QString::fromUtf8(member->key().data(), qsizetype(member->key().size())));
            QVERIFY(t.subtreeBegin(m) <= t.subtreeBegin(member->value) && member->value < m);
            if (member != t.membersBegin(m))
                QVERIFY(member[-1].value < member->value);
        }
        QCOMPARE(found, keys);
        const NodeId example = t.member(t.member(m, "x"), "example");
        QVERIFY(t.mayHoldExample(m));
        QVERIFY(t.mayHoldExample(t.member(m, "x")));
        QVERIFY(!t.mayHoldExample(t.member(m, "w")));
        QCOMPARE(jsonpointer::pointerTo(t, example), QStringLiteral("/m/x/example"));
    }

    void billionLaughsIsBounded()
    {
        QByteArray src = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int i = 1; i <= 9; ++i)
            src += QStringLiteral("a%1: &a%1 [*a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2]\n").arg(i).arg(i - 1).toUtf8();
        QElapsedTimer timer;
        timer.start();
        const ParseResult r = parseYaml(src);
        QVERIFY(r.error);
        QVERIFY2(r.error->message.contains(QLatin1String("aliases expand")), qPrintable(r.error->message));
        qInfo("billion laughs rejected after %lld ms", timer.elapsed());
    }

    // Positions come from a checkpoint every few kilobytes: they must be
    // those counted from the start, at every offset, in short lines, CRLF
    // lines, multi-byte characters and one line of many kilobytes (minified JSON).
    void positionsAreCountedFromTheStart()
    {
        QByteArray text;
        const QByteArray pieces[] = {"a", "é", "😀", " ", "\r\n", "\n", "xyz"};
        std::uint32_t seed = 7;
        auto next = [&] { seed = seed * 1103515245u + 12345u; return (seed >> 16) % 100; };
        while (text.size() < 20000) {
            const std::uint32_t r = next();
            text += pieces[r < 40 ? 0 : r < 50 ? 1 : r < 55 ? 2 : r < 75 ? 3 : r < 78 ? 4 : r < 85 ? 5 : 6];
            if (text.size() > 9000 && text.size() < 9010)
                text += QByteArray(9000, 'j') + "é" + QByteArray(3000, 'k');  // one long line across blocks
        }
        // Built on first use, and from lines counted as the text was read
        // in: in chunks that end inside characters, lines and blocks.
        std::vector<std::unique_ptr<LineIndex>> indexes;
        indexes.push_back(std::make_unique<LineIndex>(text));
        for (const std::size_t chunk : {std::size_t(1), std::size_t(4093), std::size_t(5000), std::size_t(1) << 20}) {
            LineCounter counter;
            for (std::size_t end = 0; end < std::size_t(text.size());) {
                end = std::min(end + chunk, std::size_t(text.size()));
                counter.count(text.constData(), end);
            }
            indexes.push_back(std::make_unique<LineIndex>(text, counter.take()));
        }
        for (const auto &index : indexes) {
            int line = 1, column = 1;
            for (qsizetype offset = 0; offset <= text.size(); ++offset) {
                if (offset > 0) {
                    const char c = text[offset - 1];
                    if (c == '\n') {
                        ++line;
                        column = 1;
                    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                        ++column;
                    }
                }
                const TextPosition at = index->position(std::uint32_t(offset));
                if (at.line != line || at.column != column)
                    QFAIL(qPrintable(QStringLiteral("offset %1: %2:%3, counted %4:%5").arg(offset).arg(at.line).arg(at.column).arg(line).arg(column)));
            }
        }

        // Back from lines and columns, as the YAML parser asks: in order, and once out of order.
        LineCursor cursor(text);
        const QList<QByteArray> lines = text.split('\n');
        qsizetype lineStart = 0;
        for (qsizetype l = 0; l < lines.size(); ++l) {
            const QString characters = QString::fromUtf8(lines[l]);
            for (qsizetype c = 0; c <= characters.size(); c += 7) {
                if (c > 0 && characters[c - 1].isHighSurrogate())
                    continue;  // inside a 4-byte character: no column of its own
                const qsizetype expected = lineStart + characters.left(c).toUtf8().size();
                QCOMPARE(cursor.offsetOf(std::size_t(l), std::size_t(characters.left(c).toUcs4().size())), std::uint32_t(expected));
            }
            lineStart += lines[l].size() + 1;
        }
        QCOMPARE(cursor.offsetOf(0, 1), 1u);
        QCOMPARE(cursor.offsetOf(std::size_t(lines.size()), 0), std::uint32_t(text.size()));
    }

    void yamlMultipleDocumentsWarn()
    {
        const ParseResult r = parseYaml(bytes("a: 1\n---\nb: 2\n"));
        QVERIFY(!r.error);
        QVERIFY(r.warning && r.warning->message.contains(QLatin1String("more than one document")));
        QVERIFY(r.tree.member(r.tree.root(), "a") != kNoNode);
    }

    void formatIsDetectedFromContent()
    {
        QCOMPARE(parseJsonOrYaml(bytes("  {\"a\": 1}")).format, SourceFormat::Json);
        QCOMPARE(parseJsonOrYaml(bytes("\xEF\xBB\xBF{\"a\": 1}")).format, SourceFormat::Json);
        QCOMPARE(parseJsonOrYaml(bytes("a: 1")).format, SourceFormat::Yaml);
        const ParseResult broken = parseJsonOrYaml(bytes("{\"a\": }"));
        QVERIFY(broken.error);
        QVERIFY2(broken.error->message.contains(QLatin1String("expected a value")), qPrintable(broken.error->message));
    }

    // Values longer than the parser keeps ahead of the arrived bytes, values
    // cut at every place by the chunks, and broken sources: parsed as they
    // arrive, they give what they give parsed whole.
    void arrivingBytesParseAsWhole_data()
    {
        QTest::addColumn<QByteArray>("source");
        QByteArray values = "{\"first\": 1,\n";
        for (int i = 0; i < 3000; ++i)
            values += QStringLiteral("  \"k%1\": [%1, -%1.5e-3, true, false, null, \"s\\u00e9\\ud83d\\ude00%1\\n\", {}],\n").arg(i).toUtf8();
        values += "  \"long\": \"" + QByteArray(200'000, 'x') + "\",\n";
        values += "  \"escaped\": \"" + QByteArray(100'000, 'y') + "\\t\\ud83d\\ude00\",\n";
        values += "  \"digits\": " + QByteArray(100'000, '7') + ",\n";
        values += "  \"blank\":" + QByteArray(150'000, ' ') + "true,\n";
        values += "  \"last\": [null]\n}" + QByteArray(70'000, '\n');
        QTest::newRow("json") << values;
        QByteArray broken = values;
        broken.insert(broken.lastIndexOf("\"last\""), "}");  // an error after the long values
        QTest::newRow("broken json") << broken;
        QTest::newRow("trailing text") << values + "x";
        QTest::newRow("cut short") << values.left(values.indexOf("\"digits\"") + 5000);
        QTest::newRow("whitespace first") << QByteArray(100'000, ' ') + values;
        // Six times the values the tree makes room for: its arrays move while the reader faults their pages in.
        QTest::newRow("more values than the room") << "[" + QByteArray("[1],").repeated(200'000) + "2]";
        QByteArray yaml = "openapi: 3.0.0\npaths:\n";
        for (int i = 0; i < 5000; ++i)
            yaml += QStringLiteral("  /p%1: {get: {summary: \"s%1\"}}\n").arg(i).toUtf8();
        QTest::newRow("yaml") << yaml;
    }

    void arrivingBytesParseAsWhole()
    {
        QFETCH(QByteArray, source);
        const ParseResult whole = parseJsonOrYaml(source);
        for (const qint64 chunk : {qint64(1) << 20, qint64(4093), qint64(61)}) {
            const ParseResult arriving = parseArriving(source, chunk, source.size());
            QCOMPARE(arriving.format, whole.format);
            QCOMPARE(bool(arriving.error), bool(whole.error));
            if (whole.error) {
                QCOMPARE(arriving.error->offset, whole.error->offset);
                QCOMPARE(arriving.error->message, whole.error->message);
            } else {
                QCOMPARE(describe(arriving.tree, arriving.tree.root()), describe(whole.tree, whole.tree.root()));
            }
        }
    }

    // A reading that ends short leaves nothing to use: the reader says why.
    void arrivingBytesThatStopShortGiveNoTree()
    {
        QByteArray source = "[";
        for (int i = 0; i < 100'000; ++i)
            source += "{\"a\": [1, \"two\"]},";
        source += "{}]";
        const ParseResult r = parseArriving(source, 4096, source.size() / 2);
        QVERIFY(!r.error);
        QVERIFY(r.tree.isEmpty());
    }

    void cancelStopsParsing()
    {
        QByteArray src = "[";
        for (int i = 0; i < 20000; ++i)
            src += "{\"a\": [1]},";
        src += "{}]";
        std::atomic_bool cancelled{true};
        const ParseResult r = parseJson(src, {}, &cancelled);
        QVERIFY(r.error);
        QCOMPARE(r.error->message, QStringLiteral("cancelled"));
    }
};

QTEST_APPLESS_MAIN(ParserTest)
#include "tst_parser.moc"
