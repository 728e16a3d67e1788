#pragma once

#include "diagnostic.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

namespace portolan {
class ApiDocument;
}

namespace portolan::gui {

// Checks a loaded document against the official OpenAPI schema
// (validateDocument) on the thread pool. The window loads without the check
// and runs it afterwards: on a description as large as Microsoft Graph beta
// it takes about as long as the load itself, and the navigator is usable
// meanwhile. One check at a time; a new start or cancel() drops the result
// of the one before.
class DocumentCheck : public QObject {
    Q_OBJECT
public:
    explicit DocumentCheck(QObject *parent = nullptr);
    ~DocumentCheck() override;

    void start(const std::shared_ptr<const ApiDocument> &document);
    void cancel();
    bool isRunning() const { return m_cancelled != nullptr; }

Q_SIGNALS:
    // The document's own diagnostics with the schema's merged in.
    void finished(const portolan::Diagnostics &diagnostics);

private:
    QFutureWatcher<Diagnostics> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancelled;  // the running check's; null when none runs
};

} // namespace portolan::gui
