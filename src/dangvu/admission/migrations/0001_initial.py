"""The candidates' models move from the lifecycle app into this one, their tables kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("candidate", "candidatestep", "candidatedocument")


def _relabel(apps, old: str, new: str) -> None:
    """Move the content types (and so the audit log entries and permissions) of the models to `new`."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "lifecycle", "admission")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "admission", "lifecycle")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('lifecycle', '0004_candidate_member_per_admission'),
        ('members', '0008_readmission_restoration'),
        ('organizations', '0002_org_path'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay those the lifecycle app created (db_table): only Django's idea of which app
        # owns the models moves (lifecycle 0005 removes them from its state without touching the database).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Candidate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('full_name', models.CharField(max_length=255, verbose_name='full name')),
                    ('family_name', models.CharField(blank=True, max_length=100, verbose_name='family name')),
                    ('middle_name', models.CharField(blank=True, max_length=100, verbose_name='middle name')),
                    ('given_name', models.CharField(max_length=100, verbose_name='given name')),
                    ('name_folded', models.CharField(editable=False, max_length=255)),
                    ('sort_key', models.CharField(editable=False, max_length=255)),
                    ('other_names', models.CharField(blank=True, max_length=255, verbose_name='other names')),
                    ('birth_date', models.DateField(verbose_name='date of birth')),
                    ('sex', models.CharField(choices=[('M', 'Male'), ('F', 'Female')], max_length=1, verbose_name='sex')),
                    ('ethnicity', models.CharField(choices=[('01', 'Kinh'), ('02', 'Tày'), ('03', 'Thái'), ('04', 'Hoa'), ('05', 'Khơ-me'), ('06', 'Mường'), ('07', 'Nùng'), ('08', 'Mông'), ('09', 'Dao'), ('10', 'Gia-rai'), ('11', 'Ngái'), ('12', 'Ê-đê'), ('13', 'Ba-na'), ('14', 'Xơ-đăng'), ('15', 'Sán Chay'), ('16', 'Cơ-ho'), ('17', 'Chăm'), ('18', 'Sán Dìu'), ('19', 'Hrê'), ('20', 'Mnông'), ('21', 'Ra-glai'), ('22', 'Xtiêng'), ('23', 'Bru-Vân Kiều'), ('24', 'Thổ'), ('25', 'Giáy'), ('26', 'Cơ-tu'), ('27', 'Gié-Triêng'), ('28', 'Mạ'), ('29', 'Khơ-mú'), ('30', 'Co'), ('31', 'Tà-ôi'), ('32', 'Chơ-ro'), ('33', 'Kháng'), ('34', 'Xinh-mun'), ('35', 'Hà Nhì'), ('36', 'Chu-ru'), ('37', 'Lào'), ('38', 'La Chí'), ('39', 'La Ha'), ('40', 'Phù Lá'), ('41', 'La Hủ'), ('42', 'Lự'), ('43', 'Lô Lô'), ('44', 'Chứt'), ('45', 'Mảng'), ('46', 'Pà Thẻn'), ('47', 'Cơ Lao'), ('48', 'Cống'), ('49', 'Bố Y'), ('50', 'Si La'), ('51', 'Pu Péo'), ('52', 'Brâu'), ('53', 'Ơ Đu'), ('54', 'Rơ-măm')], max_length=2, verbose_name='ethnicity')),
                    ('religion', models.CharField(blank=True, max_length=100, verbose_name='religion')),
                    ('place_of_birth', models.CharField(blank=True, max_length=255, verbose_name='place of birth')),
                    ('home_town', models.CharField(blank=True, max_length=255, verbose_name='home town')),
                    ('residence', models.CharField(blank=True, max_length=255, verbose_name='permanent residence')),
                    ('current_address', models.CharField(blank=True, max_length=255, verbose_name='current address')),
                    ('national_id_number', models.CharField(blank=True, max_length=12, verbose_name='national ID number')),
                    ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                    ('occupation', models.CharField(blank=True, max_length=255, verbose_name='occupation')),
                    ('general_education', models.CharField(blank=True, max_length=20, verbose_name='general education')),
                    ('professional_qualification', models.CharField(blank=True, max_length=255, verbose_name='professional qualification')),
                    ('political_theory_level', models.CharField(blank=True, choices=[('', 'None'), ('so_cap', 'Elementary'), ('trung_cap', 'Intermediate'), ('cao_cap', 'Advanced'), ('cu_nhan', 'Bachelor')], max_length=16, verbose_name='political theory level')),
                    ('biography_number', models.CharField(blank=True, max_length=32, verbose_name='biography number')),
                    ('readmission_bars', models.JSONField(blank=True, default=list, verbose_name='facts barring readmission')),
                    ('family_hardship', models.BooleanField(default=False, verbose_name='extreme family hardship')),
                    ('record_expunged_on', models.DateField(blank=True, null=True, verbose_name='criminal record expunged on')),
                    ('proposed_on', models.DateField(verbose_name='proposed on')),
                    ('stage', models.CharField(choices=[('outstanding_mass', 'Outstanding mass'), ('awareness_course_done', 'Awareness course attended'), ('sympathizer', 'Party sympathizer'), ('dossier_complete', 'Admission file complete'), ('cell_approved', 'Approved by the party cell'), ('committee_approved', 'Approved by the grassroots committee'), ('admission_decided', 'Admission decided'), ('probationary', 'Admitted (probationary member)'), ('closed', 'Closed (not pursued)')], editable=False, max_length=32, verbose_name='stage')),
                    ('stage_since', models.DateField(editable=False, verbose_name='stage since')),
                    ('certificate_issued_on', models.DateField(blank=True, editable=False, null=True, verbose_name='certificate issued on')),
                    ('certificate_expires_on', models.DateField(blank=True, editable=False, null=True, verbose_name='certificate valid until')),
                    ('next_step', models.CharField(blank=True, choices=[('proposed', 'Proposed as outstanding mass'), ('awareness_course', 'Political-awareness course'), ('sympathizer', 'Accepted as party sympathizer'), ('background_check', 'Background check'), ('introducers', 'Introducers'), ('comments', 'Comments of organizations and place of residence'), ('dossier_complete', 'Admission file completed'), ('cell_vote', 'Party cell vote'), ('committee_vote', 'Grassroots committee vote'), ('decision', 'Admission decision'), ('ceremony', 'Admission ceremony'), ('rejected', 'Admission not approved'), ('certificate_expired', 'Awareness-course certificate expired'), ('assigned', 'Step assigned'), ('closed', 'Closed')], editable=False, max_length=32, verbose_name='next step')),
                    ('owner_role', models.CharField(blank=True, choices=[('admin', 'Administrator'), ('organizer', 'Organization commission staff'), ('inspector', 'Inspection commission staff'), ('secretary', 'Party secretary'), ('viewer', 'Viewer')], editable=False, max_length=16, verbose_name='responsible role')),
                    ('due_on', models.DateField(blank=True, editable=False, null=True, verbose_name='due on')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('assignee', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                    ('cell', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='candidates', to='organizations.organization', verbose_name='party cell')),
                    ('former_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='readmission_candidates', to='members.member', verbose_name='former member record')),
                    ('member', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='candidacies', to='members.member', verbose_name='party member')),
                    ('owner_org', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='responsible organization')),
                ],
                options={
                    'verbose_name': 'candidate for admission',
                    'verbose_name_plural': 'candidates for admission',
                    'db_table': 'lifecycle_candidate',
                    'ordering': ['sort_key', 'id'],
                },
            ),
            migrations.CreateModel(
                name='CandidateStep',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('proposed', 'Proposed as outstanding mass'), ('awareness_course', 'Political-awareness course'), ('sympathizer', 'Accepted as party sympathizer'), ('background_check', 'Background check'), ('introducers', 'Introducers'), ('comments', 'Comments of organizations and place of residence'), ('dossier_complete', 'Admission file completed'), ('cell_vote', 'Party cell vote'), ('committee_vote', 'Grassroots committee vote'), ('decision', 'Admission decision'), ('ceremony', 'Admission ceremony'), ('rejected', 'Admission not approved'), ('certificate_expired', 'Awareness-course certificate expired'), ('assigned', 'Step assigned'), ('closed', 'Closed')], max_length=32, verbose_name='step')),
                    ('effective_on', models.DateField(verbose_name='date')),
                    ('stage_before', models.CharField(blank=True, choices=[('outstanding_mass', 'Outstanding mass'), ('awareness_course_done', 'Awareness course attended'), ('sympathizer', 'Party sympathizer'), ('dossier_complete', 'Admission file complete'), ('cell_approved', 'Approved by the party cell'), ('committee_approved', 'Approved by the grassroots committee'), ('admission_decided', 'Admission decided'), ('probationary', 'Admitted (probationary member)'), ('closed', 'Closed (not pursued)')], max_length=32, verbose_name='stage before')),
                    ('stage_after', models.CharField(blank=True, choices=[('outstanding_mass', 'Outstanding mass'), ('awareness_course_done', 'Awareness course attended'), ('sympathizer', 'Party sympathizer'), ('dossier_complete', 'Admission file complete'), ('cell_approved', 'Approved by the party cell'), ('committee_approved', 'Approved by the grassroots committee'), ('admission_decided', 'Admission decided'), ('probationary', 'Admitted (probationary member)'), ('closed', 'Closed (not pursued)')], max_length=32, verbose_name='stage after')),
                    ('regulation', models.CharField(blank=True, max_length=32, verbose_name='regulation')),
                    ('owner_role', models.CharField(blank=True, choices=[('admin', 'Administrator'), ('organizer', 'Organization commission staff'), ('inspector', 'Inspection commission staff'), ('secretary', 'Party secretary'), ('viewer', 'Viewer')], max_length=16, verbose_name='responsible role')),
                    ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                    ('late', models.BooleanField(default=False, verbose_name='after the time limit')),
                    ('votes_due', models.PositiveIntegerField(blank=True, null=True, verbose_name='members due to vote')),
                    ('votes_excluded', models.PositiveIntegerField(blank=True, null=True, verbose_name='left out of the count')),
                    ('votes_present', models.PositiveIntegerField(blank=True, null=True, verbose_name='present')),
                    ('votes_for', models.PositiveIntegerField(blank=True, null=True, verbose_name='in favour')),
                    ('passed', models.BooleanField(blank=True, null=True, verbose_name='passed')),
                    ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='decision number')),
                    ('decision_date', models.DateField(blank=True, null=True, verbose_name='decision date')),
                    ('issued_by', models.CharField(blank=True, max_length=255, verbose_name='issued by')),
                    ('payload', models.JSONField(blank=True, default=dict, verbose_name='details')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='admission.candidate', verbose_name='candidate')),
                    ('owner_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='responsible organization')),
                    ('owner_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responsible user')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ],
                options={
                    'verbose_name': 'admission step',
                    'verbose_name_plural': 'admission steps',
                    'db_table': 'lifecycle_candidatestep',
                    'ordering': ['effective_on', 'id'],
                },
            ),
            migrations.CreateModel(
                name='CandidateDocument',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=32, verbose_name='document')),
                    ('form_code', models.CharField(blank=True, max_length=16, verbose_name='form')),
                    ('document_date', models.DateField(blank=True, null=True, verbose_name='date of the document')),
                    ('received_on', models.DateField(verbose_name='received on')),
                    ('held_by', models.CharField(blank=True, max_length=255, verbose_name='held by')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='admission.candidate', verbose_name='candidate')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='admission.candidatestep', verbose_name='produced by the step')),
                ],
                options={
                    'verbose_name': 'admission document',
                    'verbose_name_plural': 'admission documents',
                    'db_table': 'lifecycle_candidatedocument',
                    'ordering': ['received_on', 'id'],
                },
            ),
            migrations.AddIndex(
                model_name='candidate',
                index=models.Index(fields=['cell', 'stage'], name='candidate_cell_stage_idx'),
            ),
            migrations.AddIndex(
                model_name='candidate',
                index=models.Index(fields=['stage', 'due_on'], name='candidate_stage_due_idx'),
            ),
            migrations.AddIndex(
                model_name='candidatestep',
                index=models.Index(fields=['candidate', 'effective_on'], name='candidatestep_cand_idx'),
            ),
            migrations.AddIndex(
                model_name='candidatedocument',
                index=models.Index(fields=['candidate', 'key'], name='candidatedoc_cand_key_idx'),
            ),
        ]),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
