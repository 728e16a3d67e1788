#pragma once

#include "apimodel.h"
#include "parser.h"
#include "schemeoverrides.h"

#include <QObject>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace portolan {

struct ParsedSource;
struct ReferenceSite;
class RemoteFetcher;

struct LoadOptions {
    ParseLimits parse;
    qint64 maxSourceBytes = 256 * 1024 * 1024;  // per file or URL
    int networkTimeoutMs = 30'000;
    // Check the document against the official OpenAPI schema and its examples
    // against their schemas (see documentvalidator.h).
    bool validate = true;
    // The user's security schemes and requirements, applied to the built model.
    SchemeOverrides schemeOverrides;
    // Budgets for what one load fetches over http(s), the root included: a
    // document can name any number of remote documents. Redirects count as fetches.
    int maxRemoteFetches = 100;
    qint64 maxRemoteBytes = qint64(512) * 1024 * 1024;
    int remoteTimeBudgetMs = 120'000;  // from the first fetch on
    int maxRedirectsPerFetch = 5;
    // Map large local files rather than copy them: faster, for a process
    // that ends soon after its load. A file cut short while mapped ends the
    // process with a message (see MappedFile); the desktop app keeps
    // documents for hours, and copies.
    bool mapFiles = false;
};

struct LoadResult {
    // Null when nothing could be loaded: unreadable, not JSON or YAML, not an
    // OpenAPI or Swagger document, or cancelled. `errors` then says why.
    std::shared_ptr<const ApiDocument> document;
    Diagnostics errors;
    bool cancelled = false;
};

// A file path or an http(s) URL, as a user types it.
QUrl sourceUrlFromUserInput(const QString &source);

// Loads an OpenAPI description and every document its $refs reach.
// Reading and parsing run on the thread pool and network fetches are
// asynchronous, so the calling (UI) thread is never blocked.
class DocumentLoader : public QObject {
    Q_OBJECT
public:
    // `network` is not owned; with nullptr, the loader makes one of its own
    // at the first fetch. Defined in portolan_core_network, with the fetching
    // (and no default: Qt's meta-type of the class would then call it, and
    // link the network into every program).
    explicit DocumentLoader(QNetworkAccessManager *network, QObject *parent = nullptr);
    // A loader of local files alone, for a program that links no network
    // library: a remote document is an error, after remoteNeeded().
    struct LocalFilesOnly {};
    explicit DocumentLoader(LocalFilesOnly, QObject *parent = nullptr);
    ~DocumentLoader() override;

    void load(const QUrl &source, const LoadOptions &options = {});
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void progress(const QString &stage, int documentsDone, int documentsTotal);
    // The model is read, and `finished` follows with the same document once
    // it is checked (LoadOptions::validate): what is not checked can be shown
    // meanwhile. Until then the check adds to the document's `diagnostics`,
    // which must not be read; the rest of it is final.
    void modelRead(std::shared_ptr<const portolan::ApiDocument> document);
    void finished(const portolan::LoadResult &result);
    // A loader of local files alone met a remote document it cannot fetch.
    void remoteNeeded(const QUrl &url);

private:
    class Run;
    DocumentLoader(std::unique_ptr<RemoteFetcher> fetcher, QObject *parent);
    void request(const std::shared_ptr<Run> &run, const QUrl &url, const SourceDocument *from, const ReferenceSite &site);
    void fetch(const std::shared_ptr<Run> &run, const QUrl &url, bool isRoot, const std::function<void(std::shared_ptr<ParsedSource>)> &parsed);
    // Whether a redirect of a fetch of `requested` to `target` may be followed; else why not.
    static QString redirectRefusal(const Run &run, const QUrl &requested, const QUrl &from, const QUrl &target, bool isRoot);
    void onParsed(const std::shared_ptr<Run> &run, std::shared_ptr<ParsedSource> parsed, const SourceLocation &origin);
    void finish(const std::shared_ptr<Run> &run);
    void abortRun();

    std::unique_ptr<RemoteFetcher> m_fetcher;  // none for LocalFilesOnly
    std::shared_ptr<Run> m_run;
};

} // namespace portolan

Q_DECLARE_METATYPE(portolan::LoadResult)
