#include "documentcheck.h"

#include "apimodel.h"
#include "documentvalidator.h"

#include <QtConcurrent>

namespace portolan::gui {

DocumentCheck::DocumentCheck(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Diagnostics>::finished, this, [this] {
        if (!m_cancelled)  // cancelled meanwhile: the result is dropped
            return;
        m_cancelled.reset();
        Q_EMIT finished(m_watcher.result());
    });
}

DocumentCheck::~DocumentCheck()
{
    cancel();  // the worker holds its own reference to the document and stops soon
}

void DocumentCheck::start(const std::shared_ptr<const ApiDocument> &document)
{
    cancel();
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    m_watcher.setFuture(QtConcurrent::run([document, cancelled = m_cancelled] {
        return mergeValidationDiagnostics(document->diagnostics, validateDocument(*document, cancelled.get()));
    }));
}

void DocumentCheck::cancel()
{
    if (!m_cancelled)
        return;
    m_cancelled->store(true);
    m_cancelled.reset();
}

} // namespace portolan::gui
