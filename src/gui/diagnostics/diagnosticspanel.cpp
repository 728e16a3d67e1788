#include "diagnosticspanel.h"

#include "diagnosticsmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace portolan::gui {

DiagnosticsPanel::DiagnosticsPanel(QWidget *parent)
    : QWidget(parent), m_model(new DiagnosticsModel(this)), m_checkStrip(new QWidget(this)),
      m_checkLabel(new QLabel(m_checkStrip)), m_checkBusy(new QProgressBar(m_checkStrip)),
      m_checkButton(new QPushButton(m_checkStrip)), m_view(new QTreeView(this))
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

    m_checkBusy->setRange(0, 0);  // the check reports no steps: a busy indicator
    m_checkBusy->setMaximumWidth(120);
    m_checkBusy->setTextVisible(false);
    m_checkLabel->setAccessibleName(tr("Schema check"));
    connect(m_checkButton, &QPushButton::clicked, this, [this] {
        if (m_checkState == CheckState::Checking)
            Q_EMIT stopCheckRequested();
        else
            Q_EMIT checkRequested();
    });
    auto *strip = new QHBoxLayout(m_checkStrip);
    strip->setContentsMargins(6, 2, 6, 2);
    strip->addWidget(m_checkBusy);
    strip->addWidget(m_checkLabel, 1);
    strip->addWidget(m_checkButton);
    m_checkStrip->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_checkStrip);
    layout->addWidget(m_view);
}

void DiagnosticsPanel::setDiagnostics(const Diagnostics &diagnostics)
{
    m_model->setDiagnostics(diagnostics);
}

void DiagnosticsPanel::setCheckState(CheckState state)
{
    m_checkState = state;
    m_checkStrip->setVisible(state != CheckState::Checked);
    m_checkBusy->setVisible(state == CheckState::Checking);
    if (state == CheckState::Checking) {
        m_checkLabel->setText(tr("Checking the document against the OpenAPI schema…"));
        m_checkButton->setText(tr("Stop"));
    } else if (state == CheckState::Stopped) {
        m_checkLabel->setText(tr("Not checked against the OpenAPI schema: the check was stopped."));
        m_checkButton->setText(tr("Check"));
    }
}

QString DiagnosticsPanel::summary() const
{
    const int errors = m_model->errorCount();
    const int warnings = m_model->warningCount();
    QStringList parts;
    if (errors)
        parts << tr("%n error(s)", nullptr, errors);
    if (warnings)
        parts << tr("%n warning(s)", nullptr, warnings);
    if (m_checkState == CheckState::Checking)
        parts << tr("checking…");
    else if (m_checkState == CheckState::Stopped)
        parts << tr("not checked");
    else if (parts.isEmpty())
        parts << tr("No problems");
    return parts.join(QStringLiteral(", "));
}

} // namespace portolan::gui
