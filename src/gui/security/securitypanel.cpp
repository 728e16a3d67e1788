#include "securitypanel.h"
#include "themecolors.h"

#include "clientcore.h"
#include "presetlogin.h"
#include "providerpresets.h"
#include "schemeeditordialog.h"
#include "schemeedits.h"
#include "schemesetupdialog.h"
#include "schemestatemodel.h"

#include "credentialstore.h"
#include "requestsigner.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QMenu>
#include <QToolButton>
#include <QLocale>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace portolan::gui {

SecurityPanel::SecurityPanel(client::ClientCore *core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new SchemeStateModel(core->store(), this)),
      m_view(new QTableView(this)), m_setUp(new QPushButton(tr("Set up…"), this)),
      m_forget(new QPushButton(tr("Forget"), this)), m_add(new QPushButton(tr("Add scheme…"), this)),
      m_edit(new QPushButton(tr("Edit…"), this)), m_remove(new QPushButton(tr("Remove"), this)),
      m_require(new QToolButton(this)), m_credential(new QComboBox(this)), m_message(new QLabel(this))
{
    m_offer = buildOffer();
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::SchemeColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::TypeColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SchemeStateModel::StateColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Security schemes"));
    m_setUp->setAccessibleName(tr("Set up the selected scheme"));
    m_forget->setAccessibleName(tr("Forget the selected scheme's credential"));
    m_credential->setAccessibleName(tr("Credential used for the selected scheme"));
    m_add->setAccessibleName(tr("Add a security scheme of your own"));
    m_edit->setAccessibleName(tr("Edit the selected scheme"));
    m_edit->setToolTip(tr("Your version of the scheme replaces the document's; the document is not changed"));
    m_remove->setAccessibleName(tr("Remove your scheme"));
    m_require->setText(tr("Requirement"));
    m_require->setAccessibleName(tr("Set which scheme the API or this operation requires"));
    m_require->setPopupMode(QToolButton::InstantPopup);
    m_require->setMenu(new QMenu(m_require));
    connect(m_require->menu(), &QMenu::aboutToShow, this, &SecurityPanel::fillRequirementMenu);
    m_credential->setToolTip(tr("Several credentials are stored for this scheme: choose the one requests use."));
    m_credential->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *schemeButtons = new QHBoxLayout;
    schemeButtons->addWidget(m_add);
    schemeButtons->addWidget(m_edit);
    schemeButtons->addWidget(m_remove);
    schemeButtons->addWidget(m_require);
    schemeButtons->addStretch(1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
    buttons->addWidget(m_credential);
    buttons->addWidget(m_forget);
    buttons->addWidget(m_setUp);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_offer);
    layout->addWidget(m_view, 1);
    layout->addLayout(schemeButtons);
    layout->addLayout(buttons);

    connect(m_setUp, &QPushButton::clicked, this, [this] { setUp(selectedScheme()); });
    connect(m_forget, &QPushButton::clicked, this, [this] { forget(selectedScheme()); });
    connect(m_add, &QPushButton::clicked, this, [this] { addScheme(); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editScheme(selectedScheme()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeScheme(selectedScheme()); });
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const SecurityScheme *scheme = m_model->scheme(index.row()))
            setUp(scheme->name);
    });
    connect(m_credential, &QComboBox::activated, this, [this](int index) {
        const QString scheme = selectedScheme();
        const QString id = m_credential->itemData(index).toString();
        if (scheme.isEmpty() || m_chosen.value(scheme) == id)
            return;
        if (id.isEmpty())
            m_chosen.remove(scheme);
        else
            m_chosen.insert(scheme, id);
        Q_EMIT chosenCredentialsChanged();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SecurityPanel::updateButtons);
    connect(m_core->store(), &auth::CredentialStore::changed, this, &SecurityPanel::updateButtons);
    showMessage(tr("Secrets you enter are kept in the system keychain only."), false);
    updateButtons();
}

QWidget *SecurityPanel::buildOffer()
{
    auto *offer = new QWidget(this);
    offer->setObjectName(QStringLiteral("noSchemeOffer"));
    auto *text = new QLabel(tr("<b>This document declares no way to log in.</b> Many APIs describe their authentication "
                               "only in prose (GitHub's does). Add a scheme from a provider preset, or describe it yourself; "
                               "it is kept as yours, not the document's."),
                            offer);
    text->setWordWrap(true);
    m_offerPresets = new QComboBox(offer);
    m_offerPresets->setAccessibleName(tr("Provider presets"));
    for (const auth::ProviderPreset &preset : auth::ProviderPresets::builtIn().all())
        m_offerPresets->addItem(preset.name, preset.id);
    m_offerDocumentation = new QLabel(offer);
    m_offerDocumentation->setTextFormat(Qt::RichText);
    m_offerDocumentation->setOpenExternalLinks(true);
    auto *usePreset = new QPushButton(tr("Use this preset…"), offer);
    usePreset->setObjectName(QStringLiteral("usePreset"));
    auto *add = new QPushButton(tr("Add scheme…"), offer);
    add->setObjectName(QStringLiteral("offerAddScheme"));
    connect(m_offerPresets, &QComboBox::currentIndexChanged, this, &SecurityPanel::updateOfferDocumentation);
    connect(usePreset, &QPushButton::clicked, this, [this] { addScheme(m_offerPresets->currentData().toString()); });
    connect(add, &QPushButton::clicked, this, [this] { addScheme(); });
    updateOfferDocumentation();
    auto *row = new QHBoxLayout;
    row->addWidget(m_offerPresets);
    row->addWidget(m_offerDocumentation);
    row->addWidget(usePreset);
    row->addSpacing(12);
    row->addWidget(add);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(offer);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(text);
    layout->addLayout(row);
    offer->hide();
    return offer;
}

void SecurityPanel::updateOfferDocumentation()
{
    const auth::ProviderPreset *preset = auth::ProviderPresets::builtIn().find(m_offerPresets->currentData().toString());
    const QString url = preset ? preset->documentation.value(0) : QString();
    m_offerDocumentation->setToolTip(url);
    m_offerDocumentation->setText(
        url.isEmpty() ? QString()
                      : withLinkColor(QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), tr("documentation")), palette()));
}

void SecurityPanel::setDocument(std::shared_ptr<const ApiDocument> document, const QUrl &source,
                                const SchemeOverrides &overrides)
{
    if (m_dialog)
        m_dialog->close();
    if (m_editor)
        m_editor->close();
    m_operation = nullptr;
    m_document = std::move(document);
    m_source = source;
    m_overrides = overrides;
    m_model->setDocument(m_document);
    const int row = m_model->rowOf(m_selectAfterReload);
    m_selectAfterReload.clear();
    if (m_model->rowCount() > 0)
        m_view->selectRow(qMax(0, row));
    updateOffer();
    updateButtons();
}

void SecurityPanel::updateOffer()
{
    const bool declares = m_document && std::any_of(m_document->securitySchemes.cbegin(), m_document->securitySchemes.cend(),
                                                    [](const SecurityScheme &scheme) { return !scheme.userDefined; });
    m_offer->setVisible(m_document && !declares);
}

QString SecurityPanel::selectedScheme() const
{
    const SecurityScheme *scheme = m_model->scheme(m_view->currentIndex().row());
    return scheme ? scheme->name : QString();
}

void SecurityPanel::updateButtons()
{
    const int row = m_view->currentIndex().row();
    const SecurityScheme *scheme = m_model->scheme(row);
    m_setUp->setEnabled(scheme != nullptr);
    m_forget->setEnabled(scheme && m_model->state(row) != SchemeStateModel::State::NoCredential);
    const bool editable = m_document && !m_source.isEmpty();
    m_add->setEnabled(editable);
    m_edit->setEnabled(editable && scheme);
    m_require->setEnabled(editable);
    // The user's version of a document's scheme is reverted, the user's own removed.
    const bool replacesDocument = scheme && scheme->userDefined && !scheme->pointer.isEmpty();
    m_remove->setText(replacesDocument ? tr("Revert to the document's") : tr("Remove"));
    m_remove->setEnabled(editable && scheme && scheme->userDefined);
    updateCredentialChoice();
}

void SecurityPanel::setChosenCredentials(const QHash<QString, QString> &chosen)
{
    m_chosen = chosen;
    updateCredentialChoice();
}

void SecurityPanel::updateCredentialChoice()
{
    m_credential->clear();
    m_credential->hide();
    if (!m_document)
        return;
    const QString api = auth::apiIdentity(*m_document);
    bool dropped = false;
    for (auto it = m_chosen.begin(); it != m_chosen.end();) {
        bool stored = false;
        for (const auth::CredentialInfo &info : m_core->store()->forScheme(api, it.key()))
            stored = stored || info.id == it.value();
        if (stored) {
            ++it;
        } else {
            it = m_chosen.erase(it);
            dropped = true;
        }
    }
    const QString scheme = selectedScheme();
    const QList<auth::CredentialInfo> stored = scheme.isEmpty() ? QList<auth::CredentialInfo>()
                                                                : m_core->store()->forScheme(api, scheme);
    if (stored.size() > 1) {
        // Empty = the client core's rule: the freshest credential that is valid or can be refreshed.
        m_credential->addItem(tr("Freshest usable (default)"), QString());
        for (const auth::CredentialInfo &info : stored) {
            QString name = !info.label.isEmpty() ? info.label : !info.subject.isEmpty() ? info.subject : info.username;
            if (name.isEmpty())
                name = tr("Credential %1").arg(info.id.left(8));
            m_credential->addItem(tr("%1 — stored %2").arg(name, QLocale().toString(info.created.toLocalTime(),
                                                                                       QLocale::ShortFormat)),
                                  info.id);
        }
        m_credential->setCurrentIndex(qMax(0, m_credential->findData(m_chosen.value(scheme))));
        m_credential->show();
    }
    if (dropped)
        Q_EMIT chosenCredentialsChanged();
}

void SecurityPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_messageIsError = error;
    applyMessageColor();
}

void SecurityPanel::applyMessageColor()
{
    // Only the text colour is set: links and the rest follow the theme.
    QPalette palette;
    palette.setColor(QPalette::WindowText, toneText(m_messageIsError ? Tone::Error : Tone::Muted, this->palette()));
    m_message->setPalette(palette);
}

void SecurityPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        applyMessageColor();
        updateOfferDocumentation();
    }
}

bool SecurityPanel::commit(const std::function<bool(SchemeOverrides *, QString *)> &change, const QString &done,
                           QString *refusal)
{
    SchemeOverrides changed = m_overrides;
    QString error;
    if (!m_document || m_source.isEmpty() || !change(&changed, &error) || !changed.save(m_source, &error)) {
        showMessage(error, true);
        if (refusal)
            *refusal = error;
        return false;
    }
    m_overrides = changed;
    m_selectAfterReload = selectedScheme();
    showMessage(done, false);
    Q_EMIT overridesChanged();
    return true;
}

SchemeEditorDialog *SecurityPanel::addScheme(const QString &presetId)
{
    if (!m_document)
        return nullptr;
    auto *editor = new SchemeEditorDialog(nullptr, !m_document->globalSecurity, this);
    editor->choosePreset(presetId);
    openEditor(editor, true);
    return editor;
}

SchemeEditorDialog *SecurityPanel::editScheme(const QString &schemeName)
{
    const SecurityScheme *scheme = m_document ? m_document->securityScheme(schemeName) : nullptr;
    if (!scheme)
        return nullptr;
    auto *editor = new SchemeEditorDialog(scheme, false, this);
    openEditor(editor, false);
    return editor;
}

void SecurityPanel::openEditor(SchemeEditorDialog *editor, bool adding)
{
    if (m_editor)
        m_editor->close();
    m_editor = editor;
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setSave([this, editor, adding](const SecurityScheme &scheme, QString *error) {
        const QJsonObject defaults = editor->loginDefaults();
        const bool require = editor->requireForApi();
        const bool saved = commit(
            [&](SchemeOverrides *overrides, QString *problem) {
                if (!adding)
                    return client::editScheme(*m_document, overrides, scheme, problem);
                return client::addScheme(*m_document, overrides, scheme, defaults, problem)
                    && (!require || client::requireScheme(*m_document, overrides, scheme.name, {}, nullptr, problem));
            },
            adding ? tr("%1: your scheme is added%2.").arg(scheme.name, require ? tr(", required by the whole API") : QString())
                   : tr("%1: your version is saved.").arg(scheme.name),
            error);
        if (saved)
            m_selectAfterReload = scheme.name;
        return saved;
    });
    editor->show();
}

bool SecurityPanel::removeScheme(const QString &schemeName)
{
    const SecurityScheme *scheme = m_document ? m_document->securityScheme(schemeName) : nullptr;
    const bool revert = scheme && !scheme->pointer.isEmpty();
    return commit([&](SchemeOverrides *overrides, QString *error) { return client::removeScheme(*m_document, overrides, schemeName, error); },
                  revert ? tr("%1: back to the document's scheme.").arg(schemeName) : tr("%1: your scheme is removed.").arg(schemeName));
}

bool SecurityPanel::requireScheme(const QString &schemeName, bool forOperation)
{
    const Operation *operation = forOperation ? m_operation : nullptr;
    if (forOperation && !operation)
        return false;
    return commit(
        [&](SchemeOverrides *overrides, QString *error) {
            return client::requireScheme(*m_document, overrides, schemeName, {}, operation, error);
        },
        operation ? tr("%1 now requires %2 (your requirement).").arg(operationKey(*operation), schemeName)
                  : tr("The whole API now requires %1 (your requirement).").arg(schemeName));
}

bool SecurityPanel::removeRequirement(bool forOperation)
{
    const Operation *operation = forOperation ? m_operation : nullptr;
    if (forOperation && !operation)
        return false;
    return commit(
        [&](SchemeOverrides *overrides, QString *) {
            client::removeRequirement(overrides, operation);
            return true;
        },
        operation ? tr("Your requirement for %1 is removed.").arg(operationKey(*operation)) : tr("Your API requirement is removed."));
}

void SecurityPanel::fillRequirementMenu()
{
    QMenu *menu = m_require->menu();
    menu->clear();
    const QString scheme = selectedScheme();
    const QString operation = m_operation ? operationKey(*m_operation) : QString();
    QAction *api = menu->addAction(tr("The whole API requires %1").arg(scheme), this, [this, scheme] { requireScheme(scheme, false); });
    api->setEnabled(!scheme.isEmpty());
    QAction *forOperation = menu->addAction(operation.isEmpty() ? tr("This operation requires… (open an operation)")
                                                                : tr("%1 requires %2").arg(operation, scheme),
                                            this, [this, scheme] { requireScheme(scheme, true); });
    forOperation->setEnabled(!scheme.isEmpty() && m_operation);
    menu->addSeparator();
    menu->addAction(tr("Remove your API requirement"), this, [this] { removeRequirement(false); })
        ->setEnabled(m_overrides.apiRequirement.has_value());
    menu->addAction(tr("Remove your requirement of this operation"), this, [this] { removeRequirement(true); })
        ->setEnabled(m_operation && m_overrides.operationRequirements.contains(operation));
}

SchemeSetupDialog *SecurityPanel::setUp(const QString &schemeName)
{
    const int row = m_model->rowOf(schemeName);
    if (!m_document || row < 0)
        return nullptr;
    m_view->selectRow(row);
    if (m_dialog)
        m_dialog->close();
    m_dialog = new SchemeSetupDialog(m_core, m_document, *m_model->scheme(row), this,
                                     client::loginDefaultsFor(m_overrides, schemeName));
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &SchemeSetupDialog::setupFinished, this, [this, schemeName](bool ok, const QString &message) {
        if (ok) {
            showMessage(tr("%1: %2").arg(schemeName, message), false);
            Q_EMIT credentialsChanged();
        }
    });
    m_dialog->show();
    return m_dialog;
}

void SecurityPanel::forget(const QString &schemeName)
{
    if (!m_document)
        return;
    const QList<auth::CredentialInfo> stored = m_core->store()->forScheme(auth::apiIdentity(*m_document), schemeName);
    for (const auth::CredentialInfo &info : stored) {
        QPointer<SecurityPanel> self(this);
        m_core->store()->remove(info.id, [self, schemeName](const auth::StoreResult &result) {
            if (!self)
                return;
            self->showMessage(result.ok ? tr("%1: credential removed from the keychain.").arg(schemeName) : result.error,
                              !result.ok);
            Q_EMIT self->credentialsChanged();
        });
    }
}

} // namespace portolan::gui
