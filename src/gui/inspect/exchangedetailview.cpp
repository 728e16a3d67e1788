#include "exchangedetailview.h"

#include "bodyview.h"
#include "exchangetree.h"

#include <QHeaderView>
#include <QTreeView>

namespace portolan::gui {

ExchangeDetailView::ExchangeDetailView(QWidget *parent)
    : QSplitter(Qt::Horizontal, parent), m_model(new ExchangeTreeModel(this)), m_tree(new QTreeView), m_body(new BodyView)
{
    m_tree->setModel(m_model);
    m_tree->setItemDelegateForColumn(1, new WaterfallDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->header()->resizeSection(0, 190);
    m_tree->setAccessibleName(tr("Exchange details"));
    addWidget(m_tree);
    addWidget(m_body);
    setStretchFactor(0, 1);
    setStretchFactor(1, 1);
    // Click a Contract problem about the body: the body view shows where it is.
    connect(m_tree, &QTreeView::clicked, this, [this](const QModelIndex &index) {
        const QVariant problem = index.data(ExchangeTreeModel::BodyProblemRole);
        if (problem.isValid())
            m_body->showProblem(problem.toInt());
    });
}

void ExchangeDetailView::showExchange(const http::Exchange &exchange)
{
    m_model->setExchange(exchange);
    for (const QString &open : {ExchangeTreeModel::tr("Error"), ExchangeTreeModel::tr("Request"), ExchangeTreeModel::tr("Response"),
                               ExchangeTreeModel::tr("Timings"), ExchangeTreeModel::tr("Redirects")}) {
        if (QStandardItem *section = m_model->section(open))
            m_tree->expand(section->index());
    }
    if (exchange.hasResponse()) {
        const http::ReceivedResponse &response = exchange.finalHop().response;
        m_body->setBody(response.body, http::headerValue(response.headers, "Content-Type"));
    } else {
        m_body->clear();
    }
}

void ExchangeDetailView::clear()
{
    m_model->setExchange({});
    m_body->clear();
}

} // namespace portolan::gui
