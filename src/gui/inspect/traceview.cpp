#include "traceview.h"

#include "exchangedetailview.h"
#include "exchangelistmodel.h"

#include "harexport.h"
#include "networkrecorder.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace portolan::gui {

TraceView::TraceView(QWidget *parent)
    : QWidget(parent), m_model(new ExchangeListModel(this)), m_list(new QTableView), m_details(new ExchangeDetailView),
      m_export(new QToolButton(this)), m_status(new QLabel(this))
{
    m_export->setText(tr("Export HAR…"));
    m_export->setToolTip(tr("Save the trace as HAR 1.2, secrets redacted"));
    m_export->setAccessibleName(tr("Export HAR"));
    m_export->setAutoRaise(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Trace status"));

    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Url, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Number, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(ExchangeListModel::Method, QHeaderView::ResizeToContents);
    m_list->setAlternatingRowColors(true);
    m_list->setShowGrid(false);
    m_list->setAccessibleName(tr("Login trace"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_export);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_list);
    split->addWidget(m_details);
    split->setSizes({140, 300});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_export, &QToolButton::clicked, this, &TraceView::chooseHarFile);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRow(current.row()); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] { m_export->setEnabled(true); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_export->setEnabled(m_model->rowCount() > 0); });
    m_export->setEnabled(false);
}

void TraceView::setExchanges(const QList<http::Exchange> &exchanges)
{
    m_model->setExchanges(exchanges);
    m_details->clear();
    if (!exchanges.isEmpty())
        m_list->selectRow(int(exchanges.size()) - 1);  // the last request is where a login ended
}

void TraceView::follow(http::NetworkRecorder *recorder)
{
    setExchanges(recorder->exchanges());
    connect(recorder, &http::NetworkRecorder::exchangeRecorded, this, [this](const http::Exchange &exchange) {
        m_model->append(exchange);
        m_list->scrollToBottom();
    });
}

void TraceView::showRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        m_details->clear();
    else
        m_details->showExchange(m_model->exchange(row));
}

bool TraceView::exportHar(const QString &path, QString *error) const
{
    return http::writeHarFile(path, m_model->exchanges(), error);
}

void TraceView::chooseHarFile()
{
    bool saved = false;
    const QString outcome = saveHarAs(this, QStringLiteral("login-trace.har"), m_model->exchanges(), &saved);
    if (!outcome.isEmpty())
        m_status->setText(outcome);
}

QString saveHarAs(QWidget *parent, const QString &suggestedName, const QList<http::Exchange> &exchanges, bool *saved)
{
    *saved = false;
    const QString path = QFileDialog::getSaveFileName(parent, TraceView::tr("Export HAR"), suggestedName,
                                                      TraceView::tr("HTTP Archive (*.har)"));
    if (path.isEmpty())
        return {};
    QString error;
    if (!http::writeHarFile(path, exchanges, &error))
        return TraceView::tr("Not saved: %1").arg(error);
    *saved = true;
    return TraceView::tr("Saved %n request(s) to %1 (secrets redacted).", nullptr, int(exchanges.size())).arg(path);
}

QDialog *openTraceWindow(const QString &title, const QList<http::Exchange> &exchanges, QWidget *parent)
{
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto *trace = new TraceView(dialog);
    trace->setExchanges(exchanges);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(trace, 1);
    layout->addWidget(buttons);
    dialog->resize(900, 600);
    dialog->show();
    return dialog;
}

} // namespace portolan::gui
