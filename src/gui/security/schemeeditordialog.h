#pragma once

#include <apimodel.h>

#include <QDialog>
#include <QHash>
#include <QMap>

#include <functional>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace portolan::gui {

// The fields of an OpenAPI Security Scheme Object, for a scheme the user adds
// or edits (kept in the API's SchemeOverrides, never a secret): the type,
// apiKey's name and place, http's scheme and bearer format, each OAuth 2 flow
// with its URLs and scopes, the OpenID Connect URL. A new scheme can start
// from a provider preset (resources/providers/presets.json): its {placeholders}
// are asked for and filled in, and the user can still change every field.
class SchemeEditorDialog : public QDialog {
    Q_OBJECT
public:
    // `existing` null: a new scheme, with the preset picker. `offerRequire`: the
    // document declares no requirement for the whole API, offer to set one.
    SchemeEditorDialog(const SecurityScheme *existing, bool offerRequire, QWidget *parent = nullptr);

    // Called by Save with the scheme the fields describe; false with `error` keeps the dialog open.
    using Save = std::function<bool(const SecurityScheme &scheme, QString *error)>;
    void setSave(Save save) { m_save = std::move(save); }
    // The scheme the fields describe; false with `error` naming the field that is wrong.
    bool scheme(SecurityScheme *out, QString *error) const;
    // The login defaults (LoginDefaults JSON) of the preset the fields were last filled from.
    QJsonObject loginDefaults() const { return m_loginDefaults; }
    bool requireForApi() const;

    // Selects a preset (by id; empty: none) and fills the fields when its placeholders allow.
    void choosePreset(const QString &id);
    // Fills the fields from the chosen preset and the placeholders typed; false (and says why) when one is missing.
    bool fillFromPreset();
    QLineEdit *field(const QString &objectName) const;
    QLineEdit *placeholderField(const QString &name) const;
    QGroupBox *flowBox(OAuthFlowKind flow) const;
    QPlainTextEdit *scopesEdit(OAuthFlowKind flow) const;
    QComboBox *typeBox() const { return m_type; }
    QComboBox *presetBox() const { return m_preset; }
    QLabel *presetDocumentation() const { return m_documentation; }
    QLabel *statusLabel() const { return m_status; }

private:
    void showPreset();
    void fillFromJson(const QJsonObject &json);
    QJsonObject toJson() const;
    void updateRows();
    void setStatus(const QString &text, bool error);
    QLineEdit *addLine(QFormLayout *form, const QString &name, const QString &label);

    QFormLayout *m_form;  // owned by this, like the widgets below
    QLineEdit *m_name;
    QComboBox *m_type;
    QComboBox *m_in;
    QComboBox *m_httpScheme;
    QComboBox *m_preset = nullptr;
    QLabel *m_documentation = nullptr;
    QFormLayout *m_placeholders = nullptr;
    QCheckBox *m_require = nullptr;
    QLabel *m_status;
    QMap<OAuthFlowKind, QGroupBox *> m_flows;
    QJsonObject m_loginDefaults;
    Save m_save;
};

} // namespace portolan::gui
