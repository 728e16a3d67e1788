#include "documentloader.h"

#include "documentvalidator.h"

#include "jsonpointer.h"
#include "mappedfile.h"
#include "normalizer.h"
#include "origin.h"
#include "referenceresolver.h"
#include "referencescan.h"
#include "remotefetcher.h"
#include "sourcearrival.h"

#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QPointer>
#include <QPromise>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

namespace portolan {

QUrl sourceUrlFromUserInput(const QString &source)
{
    const QString trimmed = source.trimmed();
    const QUrl url(trimmed, QUrl::TolerantMode);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("file"))
        return url;
    return QUrl::fromLocalFile(QFileInfo(trimmed).absoluteFilePath());
}

// What a worker thread hands back for one source: the parsed document and
// the other documents its $refs name, or why it could not be read.
struct ParsedSource {
    std::unique_ptr<SourceDocument> document;
    QList<QPair<QUrl, ReferenceSite>> externalReferences;  // first site naming each document
    std::optional<Diagnostic> error;
    std::optional<Diagnostic> warning;
};

namespace {

bool isWebUrl(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024 * 1024), 'f', 1) + QStringLiteral(" MB");
}

// Why a fetch was stopped by the loader itself (a budget, a refused redirect).
constexpr char kStopReason[] = "portolanStopReason";

QString displayName(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toDisplayString();
}

// `mapping`: what owns `bytes`, when they do not.
// `arrival` and `lines`, when given: see readAndParseFile().
std::shared_ptr<ParsedSource> parseSource(const QUrl &url, const QByteArray &bytes, const ParseLimits &limits,
                                          const std::atomic_bool *cancelled, std::shared_ptr<const MappedFile> mapping = nullptr,
                                          SourceArrival *arrival = nullptr, LineCounter *lines = nullptr)
{
    auto out = std::make_shared<ParsedSource>();
    ParseResult parsed = parseJsonOrYaml(bytes, limits, cancelled, arrival);
    if (parsed.error) {
        const TextPosition pos = LineIndex(bytes).position(parsed.error->offset);
        out->error = Diagnostic{Severity::Error, parsed.error->message, {displayName(url), pos.line, pos.column, QString()}};
        return out;
    }
    if (parsed.warning) {
        const TextPosition pos = LineIndex(bytes).position(parsed.warning->offset);
        out->warning = Diagnostic{Severity::Warning, parsed.warning->message, {displayName(url), pos.line, pos.column, QString()}};
    }
    parsed.tree.keepSource(std::move(mapping));
    // The lines were counted by the time the parse of arriving bytes ended, as all of them had arrived.
    out->document = std::make_unique<SourceDocument>(url, std::move(parsed.tree), parsed.format,
                                                     lines && lines->counted() == std::size_t(bytes.size()) ? lines->take()
                                                                                                            : std::vector<LineIndex::Checkpoint>{});
    if (!out->document->tree().mayReferenceOtherDocuments())
        return out;
    QSet<QUrl> seen;
    for (const ReferenceSite &site : out->document->references()) {
        const std::string_view ref = site.ref(out->document->tree());
        if (ref.empty() || ref.front() == '#')
            continue;
        const QUrl target = ReferenceResolver::targetUrl(*out->document, ref).adjusted(QUrl::RemoveFragment);
        if (target == url || seen.contains(target))
            continue;
        seen.insert(target);
        out->externalReferences.push_back({target, site});
    }
    return out;
}

// Brings a file's bytes into `data` a chunk at a time through `fill(offset,
// count)`, which reads or maps them in and returns how many came (0 at the
// file's end, -1 with `error` set), counting their lines into `lines` and
// then telling `arrival` of each (both when given): the count, or -1.
template <typename Fill>
qint64 arriveInChunks(const char *data, qint64 size, Fill fill, SourceArrival *arrival, LineCounter *lines, QString *error)
{
    constexpr qint64 kChunk = 1 << 20;
    qint64 done = 0;
    while (done < size) {
        const qint64 n = fill(done, std::min(kChunk, size - done));
        if (n <= 0)
            break;  // failed, or the file shrank since its size was read
        done += n;
        if (lines)
            lines->count(data, std::size_t(done));
        if (arrival)
            arrival->arrived(done);
    }
    if (arrival)
        arrival->ended(done);  // fewer than expected when it failed
    return error->isEmpty() ? done : -1;
}

// Reads up to `size` bytes from the start of `file` into `data` (see arriveInChunks()).
qint64 readFileStart(QFile &file, char *data, qint64 size, SourceArrival *arrival, LineCounter *lines, QString *error)
{
    auto read = [&](qint64 offset, qint64 count) {
#if defined(Q_OS_UNIX)
        int failure = 0;
        const qint64 n = readAt(file.handle(), data + offset, offset, count, &failure);
        if (n < 0)
            *error = qt_error_string(failure);
#else
        const qint64 n = file.read(data + offset, count);
        if (n < 0)
            *error = file.errorString();
#endif
        return n;
    };
    return arriveInChunks(data, size, read, arrival, lines, error);
}

// Faults a mapped file's pages in, for what arriveInChunks() says.
qint64 populateMapped(const MappedFile &mapping, qint64 size, SourceArrival *arrival, LineCounter *lines, QString *error)
{
    auto populate = [&](qint64 offset, qint64 count) {
        if (mapping.populate(offset, offset + count))
            return count;
        *error = QStringLiteral("the file was shortened while it was being read");
        return qint64(-1);
    };
    return arriveInChunks(mapping.bytes().constData(), size, populate, arrival, lines, error);
}

std::shared_ptr<ParsedSource> readAndParseFile(const QUrl &url, const LoadOptions &options, const std::atomic_bool *cancelled)
{
    const QString path = url.toLocalFile();
    auto failure = [&](const QString &message) {
        auto out = std::make_shared<ParsedSource>();
        out->error = Diagnostic{Severity::Error, message, {path, 0, 0, QString()}};
        return out;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read the file: %1").arg(file.errorString()));
    if (file.size() > options.maxSourceBytes)
        return failure(QStringLiteral("the file is %1 MB, over the %2 MB limit (Settings or --max-size change it)")
                           .arg(file.size() / (1024 * 1024)).arg(options.maxSourceBytes / (1024 * 1024)));
    // Whatever the limit: a tree holds offsets of 32 bits (see Node).
    if (file.size() > qint64(UINT32_MAX))
        return failure(QStringLiteral("the file is %1 MB; documents of 4 GiB or more cannot be read").arg(file.size() / (1024 * 1024)));
    // One allocation of the exact size: QIODevice::readAll grows its buffer
    // in steps and, for a 47 MB file, peaks at 64 MB.
    if (file.isSequential())  // a pipe or device: no size to go by
        return parseSource(url, file.readAll(), options.parse, cancelled);
    const qint64 size = file.size();
    // A large file is parsed while another thread reads it in (see
    // SourceArrival): filling fresh pages is most of a read's cost on
    // virtual machines, and the other core is idle meanwhile. Where the
    // caller asks, it is mapped instead, and that thread faults its pages in.
    constexpr qint64 kParseWhileReadingFrom = 1 << 20;
    const std::shared_ptr<MappedFile> mapping =
        options.mapFiles && size >= kParseWhileReadingFrom ? MappedFile::map(file.handle(), size, path) : nullptr;
    QByteArray bytes = mapping ? mapping->bytes() : QByteArray(size, Qt::Uninitialized);
    char *const data = mapping ? nullptr : bytes.data();  // before the parser shares `bytes`
    QString error;
    qint64 read = -1;
    auto bringIn = [&](SourceArrival *arrival, LineCounter *lines) {
        return mapping ? populateMapped(*mapping, size, arrival, lines, &error) : readFileStart(file, data, size, arrival, lines, &error);
    };
    std::shared_ptr<ParsedSource> parsed;
    if (size >= kParseWhileReadingFrom) {
        SourceArrival arrival(size);
        arrival.releaseParsed(mapping.get());
        LineCounter lines;
        std::thread reader;
        try {
            reader = std::thread([&] {
                read = bringIn(&arrival, &lines);
                arrival.faultAhead();
            });
        } catch (const std::system_error &) {  // no thread to be had: read, then parse
        }
        if (reader.joinable()) {
            parsed = parseSource(url, bytes, options.parse, cancelled, mapping, &arrival, &lines);
            arrival.parseEnded();
            reader.join();
        }
    }
    if (!parsed)
        read = bringIn(nullptr, nullptr);
    if (read < 0)
        return failure(QStringLiteral("cannot read the file: %1").arg(error));
    if (parsed && read == size)
        return parsed;
    // Read only now, or shorter than its size said (it changed meanwhile):
    // what was read is parsed.
    parsed.reset();
    bytes.truncate(read);
    return parseSource(url, bytes, options.parse, cancelled, mapping);
}

// Runs `work` on the thread pool and `done` on `context`'s thread afterwards,
// unless `context` is gone by then. The continuation is attached before the
// work starts: attached to an already finished future it may never run.
template <typename Work, typename Done>
void runInPool(QObject *context, Work work, Done done)
{
    using Result = decltype(work());
    auto promise = std::make_shared<QPromise<Result>>();
    promise->future().then(context, [done = std::move(done)](Result result) mutable { done(std::move(result)); });
    promise->start();
    QThreadPool::globalInstance()->start([promise, work = std::move(work)]() mutable {
        promise->addResult(work());
        promise->finish();
    });
}

} // namespace

// One load: the root source and every document reached from it.
class DocumentLoader::Run {
public:
    QUrl root;
    LoadOptions options;
    std::shared_ptr<std::atomic_bool> cancelled = std::make_shared<std::atomic_bool>(false);
    SourceDocuments documents;
    Diagnostics diagnostics;
    QSet<QUrl> requested;
    int pending = 0;
    QList<QPointer<RemoteFetch>> downloads;
    // The remote budget (LoadOptions): fetches and bytes so far; once one is
    // spent, `exhausted` says why and nothing more is fetched.
    int fetches = 0;
    qint64 remoteBytes = 0;
    QString exhausted;
    bool exhaustionReported = false;
};

DocumentLoader::DocumentLoader(LocalFilesOnly, QObject *parent) : DocumentLoader(std::unique_ptr<RemoteFetcher>(), parent) {}

DocumentLoader::DocumentLoader(std::unique_ptr<RemoteFetcher> fetcher, QObject *parent)
    : QObject(parent), m_fetcher(std::move(fetcher))
{
    qRegisterMetaType<portolan::LoadResult>();
}

DocumentLoader::~DocumentLoader()
{
    if (m_run)
        abortRun();
}

bool DocumentLoader::isRunning() const { return m_run != nullptr; }

void DocumentLoader::load(const QUrl &source, const LoadOptions &options)
{
    if (m_run)
        abortRun();
    m_run = std::make_shared<Run>();
    m_run->root = source;
    m_run->options = options;
    request(m_run, source, nullptr, {});
}

void DocumentLoader::cancel()
{
    if (!m_run)
        return;
    abortRun();
    LoadResult result;
    result.cancelled = true;
    result.errors.push_back({Severity::Error, QStringLiteral("loading was cancelled"), {}});
    Q_EMIT finished(result);
}

void DocumentLoader::abortRun()
{
    // Forgotten first: an aborted reply says it finished at once, and must
    // find its run gone rather than report the abort as a failed fetch.
    const std::shared_ptr<Run> run = std::exchange(m_run, nullptr);
    run->cancelled->store(true);
    for (const QPointer<RemoteFetch> &download : std::as_const(run->downloads)) {
        if (download)
            download->abort();
    }
}

void DocumentLoader::request(const std::shared_ptr<Run> &run, const QUrl &url, const SourceDocument *from,
                             const ReferenceSite &site)
{
    run->requested.insert(url);
    // Where a failure to load a referenced document is reported: at the $ref.
    const SourceLocation origin = from ? from->location(site.refObject, jsonpointer::pointerTo(from->tree(), site.refObject))
                                       : SourceLocation{displayName(url), 0, 0, {}};
    if (from && isWebUrl(from->url()) && !isWebUrl(url)) {
        const std::string_view ref = site.ref(from->tree());
        run->diagnostics.push_back({Severity::Error,
                                    QStringLiteral("refused $ref to '%1': a document loaded from the web may not read local files")
                                        .arg(QString::fromUtf8(ref.data(), qsizetype(ref.size()))),
                                    origin});
        return;
    }
    if (!url.isLocalFile() && !isWebUrl(url)) {
        run->diagnostics.push_back({Severity::Error, QStringLiteral("unsupported URL scheme in '%1'").arg(url.toDisplayString()), origin});
        if (!from)  // the root itself: report once the caller is back in its event loop
            QMetaObject::invokeMethod(this, [this, run] { if (run == m_run) finish(run); }, Qt::QueuedConnection);
        return;
    }
    if (isWebUrl(url) && (!run->exhausted.isEmpty() || run->fetches >= run->options.maxRemoteFetches)) {
        if (run->exhausted.isEmpty())
            run->exhausted = QStringLiteral("the documents name more remote documents than the %1 one load may fetch")
                                 .arg(run->options.maxRemoteFetches);
        if (!run->exhaustionReported) {  // once: a long list of the same reason helps nobody
            run->exhaustionReported = true;
            run->diagnostics.push_back({Severity::Error,
                                        QStringLiteral("'%1' and any further remote document were not fetched: %2")
                                            .arg(url.toDisplayString(), run->exhausted),
                                        origin});
        }
        return;
    }
    ++run->pending;
    Q_EMIT progress(QStringLiteral("Loading %1").arg(displayName(url)), int(run->documents.size()), int(run->requested.size()));
    std::weak_ptr<Run> weak = run;
    auto parsed = [this, weak, origin](std::shared_ptr<ParsedSource> result) {
        if (auto run = weak.lock(); run && run == m_run)
            onParsed(run, std::move(result), origin);
    };
    if (url.isLocalFile()) {
        runInPool(this, [url, options = run->options, flag = run->cancelled] { return readAndParseFile(url, options, flag.get()); },
                  parsed);
        return;
    }
    if (!m_fetcher) {
        Q_EMIT remoteNeeded(url);  // its receiver may hand the whole load to a program that fetches
        auto out = std::make_shared<ParsedSource>();
        out->error = Diagnostic{Severity::Error, QStringLiteral("cannot download: this program reads local files only"),
                                {url.toDisplayString(), 0, 0, {}}};
        QMetaObject::invokeMethod(this, [parsed, out] { parsed(out); }, Qt::QueuedConnection);
        return;
    }
    fetch(run, url, !from, parsed);
}

void DocumentLoader::fetch(const std::shared_ptr<Run> &run, const QUrl &url, bool isRoot,
                           const std::function<void(std::shared_ptr<ParsedSource>)> &parsed)
{
    std::weak_ptr<Run> weak = run;
    if (run->fetches == 0) {
        // The time budget runs from the first fetch: what is still loading then is stopped.
        QTimer::singleShot(run->options.remoteTimeBudgetMs, this, [this, weak] {
            auto run = weak.lock();
            if (!run || run != m_run || run->pending == 0)
                return;
            run->exhausted = QStringLiteral("remote documents took longer than the %1 s this load may spend fetching")
                                 .arg(run->options.remoteTimeBudgetMs / 1000.0);
            for (const QPointer<RemoteFetch> &download : std::as_const(run->downloads)) {
                if (download && download->isRunning()) {
                    download->setProperty(kStopReason, run->exhausted);
                    download->abort();
                }
            }
        });
    }
    ++run->fetches;
    RemoteFetch *download = m_fetcher->get(url, run->options.networkTimeoutMs, run->options.maxRedirectsPerFetch);
    download->setParent(this);
    run->downloads.push_back(download);
    const qint64 limit = run->options.maxSourceBytes;
    auto stop = [download](const QString &reason) {
        download->setProperty(kStopReason, reason);
        download->abort();
    };
    // Every redirect is checked here and counts as a fetch.
    connect(download, &RemoteFetch::redirected, download, [this, weak, download, url, isRoot, stop](const QUrl &target) {
        auto run = weak.lock();
        if (!run || run != m_run)
            return;
        const QString refusal = redirectRefusal(*run, url, download->url(), target, isRoot);
        if (!refusal.isEmpty())
            return stop(refusal);
        ++run->fetches;
        download->followRedirect();
    });
    auto received = std::make_shared<qint64>(0);
    connect(download, &RemoteFetch::received, download, [this, weak, received, limit, stop](qint64 bytes) {
        auto run = weak.lock();
        if (!run || run != m_run)
            return;
        run->remoteBytes += bytes - *received;
        *received = bytes;
        if (bytes > limit)
            return stop(QStringLiteral("the download is over the %1 MB limit (Settings or --max-size change it)").arg(limit / (1024 * 1024)));
        if (run->remoteBytes > run->options.maxRemoteBytes) {
            run->exhausted = QStringLiteral("remote documents add up to more than the %1 one load may fetch")
                                 .arg(megabytes(run->options.maxRemoteBytes));
            stop(run->exhausted);
        }
    });
    connect(download, &RemoteFetch::finished, this, [this, weak, download, url, isRoot, parsed] {
        download->deleteLater();
        auto run = weak.lock();
        if (!run || run != m_run)
            return;
        // A stop may come when the last bytes are already in: the download then ends without failure.
        const QString failure = download->failure();
        if (!failure.isEmpty() || download->property(kStopReason).isValid()) {
            QString message = failure;
            if (download->property(kStopReason).isValid())
                message = download->property(kStopReason).toString();
            else if (download->failedOnRedirectCount())
                message = QStringLiteral("more than %1 redirects").arg(run->options.maxRedirectsPerFetch);
            auto out = std::make_shared<ParsedSource>();
            out->error = Diagnostic{Severity::Error, QStringLiteral("cannot download: %1").arg(message), {url.toDisplayString(), 0, 0, {}}};
            parsed(out);
            return;
        }
        // The root keeps the URL it was redirected to: relative $refs and
        // servers resolve against it. A referenced document is stored under the
        // URL its referrer used, which is what that $ref looks up.
        const QUrl documentUrl = isRoot ? download->url() : url;
        runInPool(this, [documentUrl, bytes = download->takeBody(), limits = run->options.parse, flag = run->cancelled] {
            return parseSource(documentUrl, bytes, limits, flag.get());
        }, parsed);
    });
}

QString DocumentLoader::redirectRefusal(const Run &run, const QUrl &requested, const QUrl &from, const QUrl &target, bool isRoot)
{
    const QString where = target.toDisplayString();
    if (!isWebUrl(target))
        return QStringLiteral("redirected to '%1', which is not an http(s) URL").arg(where);
    if (from.scheme() == QLatin1String("https") && target.scheme() == QLatin1String("http"))
        return QStringLiteral("redirected from https to plain http ('%1'): refused").arg(where);
    // The user chose the root's URL, wherever it leads; a $ref names its document's origin.
    if (!isRoot && !sameOrigin(requested, target))
        return QStringLiteral("redirected to '%1', another origin: a $ref's document is fetched only from the origin the $ref names")
            .arg(where);
    if (run.fetches >= run.options.maxRemoteFetches)
        return QStringLiteral("redirected to '%1', past the %2 remote fetches one load may make").arg(where).arg(run.options.maxRemoteFetches);
    return {};
}

void DocumentLoader::onParsed(const std::shared_ptr<Run> &run, std::shared_ptr<ParsedSource> parsed, const SourceLocation &origin)
{
    --run->pending;
    const bool isRoot = run->documents.empty() && run->requested.size() == 1;
    if (parsed->error) {
        if (!isRoot) {
            // Report at the $ref, and the exact place inside the other file too.
            run->diagnostics.push_back({Severity::Error, QStringLiteral("cannot load '%1': %2").arg(parsed->error->location.file, parsed->error->message), origin});
            if (parsed->error->location.line > 0)
                run->diagnostics.push_back(*parsed->error);
        } else {
            run->diagnostics.push_back(*parsed->error);
        }
    } else {
        if (parsed->warning)
            run->diagnostics.push_back(*parsed->warning);
        const SourceDocument *doc = parsed->document.get();
        run->documents.push_back(std::move(parsed->document));
        for (const auto &[target, site] : std::as_const(parsed->externalReferences)) {
            if (!run->requested.contains(target))
                request(run, target, doc, site);
        }
    }
    Q_EMIT progress(QStringLiteral("Loaded %1 of %2 documents").arg(run->documents.size()).arg(run->requested.size()),
                    int(run->documents.size()), int(run->requested.size()));
    if (run->pending == 0)
        finish(run);
}

void DocumentLoader::finish(const std::shared_ptr<Run> &run)
{
    // Referenced documents are parsed side by side and arrive in any order:
    // sorting makes the same description give the same result every time.
    std::stable_sort(run->diagnostics.begin(), run->diagnostics.end(), [](const Diagnostic &a, const Diagnostic &b) {
        return std::tie(a.location.file, a.location.line, a.location.column)
            < std::tie(b.location.file, b.location.line, b.location.column);
    });
    if (run->documents.size() > 2) {
        std::sort(run->documents.begin() + 1, run->documents.end(),
                  [](const auto &a, const auto &b) { return a->url().toString() < b->url().toString(); });
    }
    if (run->documents.empty()) {
        LoadResult result;
        result.errors = run->diagnostics;
        m_run.reset();
        Q_EMIT finished(result);
        return;
    }
    Q_EMIT progress(QStringLiteral("Building the model"), int(run->documents.size()), int(run->documents.size()));
    std::weak_ptr<Run> weak = run;
    auto documents = std::make_shared<SourceDocuments>(std::move(run->documents));
    // The model is handed over as soon as it is read, while the check runs.
    auto modelHandOver = std::make_shared<QPromise<std::shared_ptr<const ApiDocument>>>();
    modelHandOver->future().then(this, [this, weak](QFuture<std::shared_ptr<const ApiDocument>> model) {
        auto run = weak.lock();
        if (run && run == m_run && model.resultCount() > 0)
            Q_EMIT this->modelRead(model.result());
    });
    modelHandOver->start();
    runInPool(this, [documents, diagnostics = run->diagnostics, validate = run->options.validate, flag = run->cancelled,
               overrides = run->options.schemeOverrides, modelHandOver]() {
        auto out = std::make_shared<LoadResult>();
        auto api = std::make_shared<ApiDocument>();
        api->documents = std::move(*documents);
        // The structure check runs beside the model's building, on the other core.
        std::optional<DocumentValidation> validation;
        if (validate)
            validation.emplace(*api, flag.get());
        Diagnostic fatal;
        OperationDetailsRead detailsRead;
        if (validation)
            detailsRead = [&validation](const OperationDetails &details) { validation->takeOperation(details); };
        if (!readApiModel(*api, diagnostics, &fatal, detailsRead)) {
            modelHandOver->finish();
            out->errors = diagnostics + Diagnostics{fatal};
            return out;
        }
        overrides.applyTo(*api);
        modelHandOver->addResult(api);
        modelHandOver->finish();
        if (validation)
            api->diagnostics = mergeValidationDiagnostics(api->diagnostics, validation->finish());
        out->document = std::move(api);
        return out;
    }, [this, weak](std::shared_ptr<LoadResult> result) {
        auto run = weak.lock();
        if (!run || run != m_run)
            return;
        m_run.reset();
        Q_EMIT finished(*result);
    });
}

} // namespace portolan
