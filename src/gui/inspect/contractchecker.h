#pragma once

#include "exchange.h"
#include "responsecontract.h"

#include <QHash>
#include <QSet>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace portolan::gui {

// Checks each exchange's response against the document it was sent from, on
// its own worker thread (a 50 MB body is parsed and validated there), and
// keeps the reports by exchange id for the panes that show them.
class ContractChecker : public QObject {
    Q_OBJECT
public:
    explicit ContractChecker(QObject *parent = nullptr);
    ~ContractChecker() override;

    // Forgets the reports of another document; checks in progress are abandoned.
    void setDocument(std::shared_ptr<const ApiDocument> document);
    // Starts checking, unless it is checked or being checked already; `checked`
    // follows unless the exchange has no response or names no operation of the document.
    void check(const http::Exchange &exchange);
    // The report for an exchange, or null while it is being checked or when it cannot be.
    const http::ContractReport *report(const QString &exchangeId) const;

Q_SIGNALS:
    void checked(const QString &exchangeId, const portolan::http::ContractReport &report);

private:
    std::shared_ptr<const ApiDocument> m_document;
    std::shared_ptr<const http::ResponseContract> m_contract;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    QHash<QString, http::ContractReport> m_reports;
    QSet<QString> m_pending;  // exchange ids being checked
    QThreadPool m_pool;  // its own thread: the global pool paints
};

} // namespace portolan::gui
