#include "diagnosticspanel.h"

#include "diagnosticsmodel.h"

#include <QHeaderView>
#include <QTreeView>
#include <QVBoxLayout>

namespace portolan::gui {

DiagnosticsPanel::DiagnosticsPanel(QWidget *parent)
    : QWidget(parent), m_model(new DiagnosticsModel(this)), m_view(new QTreeView(this))
{
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setAccessibleName(tr("Diagnostics"));
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(DiagnosticsModel::MessageColumn, QHeaderView::Stretch);
    m_view->header()->resizeSection(DiagnosticsModel::SeverityColumn, 90);
    m_view->header()->resizeSection(DiagnosticsModel::LocationColumn, 160);
    m_view->header()->resizeSection(DiagnosticsModel::PointerColumn, 260);
    connect(m_view, &QTreeView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT diagnosticActivated(m_model->diagnostic(index.row())); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void DiagnosticsPanel::setDiagnostics(const Diagnostics &diagnostics)
{
    m_model->setDiagnostics(diagnostics);
}

QString DiagnosticsPanel::summary() const
{
    const int errors = m_model->errorCount();
    const int warnings = m_model->warningCount();
    if (errors == 0 && warnings == 0)
        return tr("No problems");
    QStringList parts;
    if (errors)
        parts << tr("%n error(s)", nullptr, errors);
    if (warnings)
        parts << tr("%n warning(s)", nullptr, warnings);
    return parts.join(QStringLiteral(", "));
}

} // namespace portolan::gui
