#include "loadhelper.h"
#include "mappedfile.h"

#include <QProcess>

#include <map>

#include <sys/mman.h>
#include <unistd.h>

using namespace portolan;
using namespace portolan::test;

namespace {

// The child processes the tests below start from this same program.
constexpr char kShortenMapped[] = "--shorten-mapped";   // a mapped source's file, then touch it
constexpr char kShortenForeign[] = "--shorten-foreign"; // a file mapped by other code, then touch it

int shortenAndTouch(const char *mode, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 3;
    const qint64 size = file.size();
    std::shared_ptr<MappedFile> source = MappedFile::map(file.handle(), size, path);  // the handler is installed
    const char *bytes = source->bytes().constData();
    if (std::strcmp(mode, kShortenForeign) == 0) {
        void *other = ::mmap(nullptr, std::size_t(size), PROT_READ, MAP_PRIVATE, file.handle(), 0);
        if (other == MAP_FAILED)
            return 3;
        bytes = static_cast<const char *>(other);
    }
    if (::truncate(QFile::encodeName(path).constData(), 0) != 0)
        return 3;
    volatile char last = bytes[size - 1];  // past the file's end now
    Q_UNUSED(last);
    return 4;
}

// A JSON document of about `size` bytes, the last of which is its last;
// with `brokenEvery`, every so many operations have a response whose
// description is a number, which the structure check reports.
QByteArray documentOfSize(qint64 size, int brokenEvery = 0)
{
    QByteArray content = R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {)";
    int i = 0;
    while (content.size() < size - 200) {
        const bool broken = brokenEvery > 0 && i % brokenEvery == 0;
        content += QStringLiteral(R"(%1"/p%2": {"get": {"operationId": "op%2", "responses": {"200": {"description": %3}}}})")
                       .arg(i ? QStringLiteral(",") : QString()).arg(i).arg(broken ? QStringLiteral("5") : QStringLiteral("\"ok\"")).toUtf8();
        ++i;
    }
    content += "}, \"x-pad\": \"";
    content += QByteArray(size - content.size() - 2, 'p');
    content += "\"}";
    return content;
}

bool isMapped(const QString &path)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains(QFile::encodeName(path));
}

// How many bytes of the file at `path` this process has in memory (its
// mappings' resident pages), from the kernel's account; -1 when unmapped.
qint64 residentBytes(const QString &path)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray name = QFile::encodeName(path);
    qint64 kilobytes = -1;
    bool inMapping = false;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        const QByteArray first = line.left(line.indexOf(' '));
        if (!first.endsWith(':')) {  // a mapping's header; its fields follow
            inMapping = line.endsWith(name);
            if (inMapping && kilobytes < 0)
                kilobytes = 0;
        } else if (inMapping && first == "Rss:") {
            kilobytes += line.mid(4).simplified().split(' ').first().toLongLong();
        }
    }
    return kilobytes < 0 ? -1 : kilobytes * 1024;
}

// Whether two trees hold the same values at the same offsets, whatever
// their texts lie in.
bool treesAreEqual(const NodeTree &a, const NodeTree &b)
{
    if (a.nodeCount() != b.nodeCount() || a.root() != b.root())
        return false;
    for (NodeId id = 0; id < a.nodeCount(); ++id) {
        if (a.kind(id) != b.kind(id) || a.node(id).offset != b.node(id).offset || a.text(id) != b.text(id)
            || a.node(id).count != b.node(id).count)
            return false;
        if (a.kind(id) != NodeKind::Object && a.kind(id) != NodeKind::Array)
            continue;
        for (const Member *m = a.membersBegin(id), *n = b.membersBegin(id); m != a.membersEnd(id); ++m, ++n) {
            if (m->key() != n->key() || m->value != n->value)
                return false;
        }
    }
    return true;
}

// Whether no text of a tree lies in its source, and each key's text is held once.
bool readsNothingInItsSource(const NodeTree &tree)
{
    const char *begin = tree.source().constData();
    auto inSource = [&](std::string_view text) { return text.data() >= begin && text.data() < begin + tree.source().size(); };
    std::map<std::string_view, const char *> keys;
    for (NodeId id = 0; id < tree.nodeCount(); ++id) {
        if ((tree.kind(id) == NodeKind::String || tree.kind(id) == NodeKind::Number) && inSource(tree.text(id)))
            return false;
        if (tree.kind(id) != NodeKind::Object)
            continue;
        for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
            const char *&held = keys.emplace(m->key(), m->key().data()).first->second;
            if (inSource(m->key()) || held != m->key().data())
                return false;
        }
    }
    return true;
}

} // namespace

class TestMappedFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The loader reads a mapped file as it reads a copy, and the mapping
    // lasts exactly as long as the document. The sizes end the source on a
    // page's last byte, where a copy would have a terminating zero after it.
    void mappedFilesLoadAsCopies_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("JSON, 2 MiB") << documentOfSize(2 << 20);
        QTest::newRow("JSON, 3 MiB and a byte") << documentOfSize((3 << 20) + 1);
        QByteArray yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-pad: ";
        yaml += QByteArray((1 << 20) - yaml.size(), 'y');  // a plain scalar up to the end, no newline
        QTest::newRow("YAML, 1 MiB") << yaml;
    }

    void mappedFilesLoadAsCopies()
    {
        QFETCH(QByteArray, content);
        Files files;
        const QString path = files.write(QStringLiteral("mapped.json"), content);
        LoadOptions mapped;
        mapped.mapFiles = true;
        LoadResult fromMapping = loadFile(path, mapped);
        QVERIFY2(fromMapping.document, qPrintable(dump(fromMapping.errors)));
        QVERIFY(isMapped(path));
        const LoadResult fromCopy = loadFile(path);
        QVERIFY2(fromCopy.document, qPrintable(dump(fromCopy.errors)));

        QCOMPARE(fromMapping.document->rootDocument()->tree().source(), content);
        QCOMPARE(fromMapping.document->operations.size(), fromCopy.document->operations.size());
        QCOMPARE(dump(fromMapping.document->diagnostics), dump(fromCopy.document->diagnostics));
        const NodeTree &tree = fromMapping.document->rootDocument()->tree();
        QCOMPARE(QByteArray(tree.text(tree.member(tree.root(), "x-pad")).data(), 8), content.right(10).left(8));
        fromMapping.document.reset();
        QVERIFY(!isMapped(path));
    }

    // The pages of a mapped JSON source go as the parser passes them, and
    // diagnostics' positions, read in the file, bring none back: the process
    // never holds the whole file. The tree and the positions are those a copy gives.
    void parsedPagesOfAMappedSourceGo_data()
    {
        QTest::addColumn<int>("brokenEvery");
        QTest::newRow("no diagnostics") << 0;
        QTest::newRow("hundreds of diagnostics") << 200;
    }

    void parsedPagesOfAMappedSourceGo()
    {
        QFETCH(int, brokenEvery);
        constexpr qint64 kSize = 8 << 20;
        Files files;
        const QString path = files.write(QStringLiteral("let go.json"), documentOfSize(kSize, brokenEvery));
        LoadOptions mapped;
        mapped.mapFiles = true;
        LoadResult fromMapping = loadFile(path, mapped);
        QVERIFY2(fromMapping.document, qPrintable(dump(fromMapping.errors)));
        const qint64 resident = residentBytes(path);
        QVERIFY(resident >= 0);
        // The last step (2 MiB), which the parser did not pass whole.
        QVERIFY2(resident <= 2 << 20, qPrintable(QStringLiteral("%1 of %2 bytes resident").arg(resident).arg(kSize)));
        const LoadResult fromCopy = loadFile(path);
        QCOMPARE(fromCopy.document->diagnostics.size() > 200, brokenEvery > 0);
        QCOMPARE(dump(fromMapping.document->diagnostics), dump(fromCopy.document->diagnostics));
        const NodeTree &copied = fromMapping.document->rootDocument()->tree();
        QVERIFY(treesAreEqual(copied, fromCopy.document->rootDocument()->tree()));
        QVERIFY(readsNothingInItsSource(copied));
    }

    // A file another process cuts short while it is mapped ends the process
    // with its name on stderr, not a crash; a bus error of any other mapping
    // is left to its default action.
    void shortenedFileEndsTheProcessWithItsName_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("named");
        QTest::newRow("a mapped source") << QString::fromLatin1(kShortenMapped) << true;
        QTest::newRow("another mapping") << QString::fromLatin1(kShortenForeign) << false;
    }

    void shortenedFileEndsTheProcessWithItsName()
    {
        QFETCH(QString, mode);
        QFETCH(bool, named);
        Files files;
        const QString path = files.write(QStringLiteral("cut short.json"), documentOfSize(1 << 20));
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {mode, path});
        QVERIFY(child.waitForFinished(30'000));
        const QString stderrText = QString::fromLocal8Bit(child.readAllStandardError());
        if (named) {
            QCOMPARE(child.exitStatus(), QProcess::NormalExit);
            QCOMPARE(child.exitCode(), 1);
            QCOMPARE(stderrText, path + QStringLiteral(": error: the file was shortened while it was being read\n"));
        } else {
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            QVERIFY2(stderrText.isEmpty(), qPrintable(stderrText));
        }
    }

    // Faulting pages in that the file no longer has fails, for the loader to report.
    void populatingPastTheEndFails()
    {
        Files files;
        const QString path = files.write(QStringLiteral("populate.json"), documentOfSize(1 << 20));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::shared_ptr<MappedFile> mapping = MappedFile::map(file.handle(), file.size(), path);
        QVERIFY(mapping);
        QVERIFY(mapping->populate(0, file.size()));
        QVERIFY(QFile::resize(path, 4096));
        QVERIFY(mapping->populate(0, 4096));
        QVERIFY(!mapping->populate(0, 1 << 20));
    }
};

int main(int argc, char **argv)
{
    if (argc == 3 && (std::strcmp(argv[1], kShortenMapped) == 0 || std::strcmp(argv[1], kShortenForeign) == 0))
        return shortenAndTouch(argv[1], QString::fromLocal8Bit(argv[2]));
    QCoreApplication app(argc, argv);
    TestMappedFile test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mappedfile.moc"
