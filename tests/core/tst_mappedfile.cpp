#include "loadhelper.h"
#include "mappedfile.h"

#include <QProcess>

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

// A JSON document of about `size` bytes, the last of which is its last.
QByteArray documentOfSize(qint64 size)
{
    QByteArray content = R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {)";
    int i = 0;
    while (content.size() < size - 200) {
        content += QStringLiteral(R"(%1"/p%2": {"get": {"operationId": "op%2", "responses": {"200": {"description": "ok"}}}})")
                       .arg(i ? QStringLiteral(",") : QString()).arg(i).toUtf8();
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
