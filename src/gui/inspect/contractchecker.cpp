#include "contractchecker.h"

#include "bodyformat.h"

#include <QtConcurrent/QtConcurrentRun>

namespace portolan::gui {

ContractChecker::ContractChecker(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

ContractChecker::~ContractChecker()
{
    if (m_cancelled)
        m_cancelled->store(true);
    m_pool.waitForDone();
}

void ContractChecker::setDocument(std::shared_ptr<const ApiDocument> document)
{
    if (document == m_document)
        return;
    if (m_cancelled)
        m_cancelled->store(true);
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    m_document = std::move(document);
    m_contract = m_document ? std::make_shared<http::ResponseContract>(m_document) : nullptr;
    m_reports.clear();
    m_pending.clear();
}

void ContractChecker::check(const http::Exchange &exchange)
{
    if (!m_document || !exchange.hasResponse() || m_pending.contains(exchange.id) || m_reports.contains(exchange.id))
        return;
    const Operation *operation = m_document->findOperation(exchange.operationId);
    if (!operation)
        return;
    m_pending.insert(exchange.id);
    // The worker holds the document and the contract, so neither goes away under it.
    QtConcurrent::run(&m_pool, [contract = m_contract, document = m_document, operation, exchange, cancelled = m_cancelled] {
        const http::ReceivedResponse &response = exchange.finalHop().response;
        return contract->check(*operation, response.status, response.headers, readBody(response.body), cancelled.get());
    }).then(this, [this, id = exchange.id, cancelled = m_cancelled](const http::ContractReport &report) {
        if (cancelled->load())
            return;
        m_pending.remove(id);
        m_reports.insert(id, report);
        Q_EMIT checked(id, report);
    });
}

const http::ContractReport *ContractChecker::report(const QString &exchangeId) const
{
    const auto it = m_reports.constFind(exchangeId);
    return it == m_reports.constEnd() ? nullptr : &*it;
}

} // namespace portolan::gui
