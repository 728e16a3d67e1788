#pragma once

#include "exchange.h"

#include <QSplitter>

class QTreeView;

namespace portolan::gui {

class BodyView;
class ExchangeTreeModel;

// One exchange's detail panes: the detail tree (request as sent, response,
// timings, redirects, TLS, …) beside the response body. The inspector and
// the login trace show exchanges with it; each passes what it wants shown
// (redacted or not).
class ExchangeDetailView : public QSplitter {
    Q_OBJECT
public:
    explicit ExchangeDetailView(QWidget *parent = nullptr);

    void showExchange(const http::Exchange &exchange);
    void clear();

    ExchangeTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    BodyView *body() const { return m_body; }

private:
    ExchangeTreeModel *m_model;  // owned by this, like the widgets below
    QTreeView *m_tree;
    BodyView *m_body;
};

} // namespace portolan::gui
