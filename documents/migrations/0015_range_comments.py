"""Comments anchor to a range of the live document (two Yjs relative
positions); the block a range starts in may have no id yet."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0014_suggestions'),
    ]

    operations = [
        migrations.AddField(
            model_name='draftcomment',
            name='anchor_end',
            field=models.BinaryField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='draftcomment',
            name='anchor_start',
            field=models.BinaryField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='draftcomment',
            name='block_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='paragraph'),
        ),
    ]
