"""Demo proposals of "Rynek pracy" (called by ``workgroups.demo``): one open
for votes and one closed, whose decision shows in the register and in the
upcoming meeting's matters arising. Created once; the texts are demo text."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from workgroups.models import Ballot, Proposal, WorkingGroup
from workgroups.services.proposals import proposal_close_at_time

CLOSED = "Harmonogram prac zespołu na najbliższy kwartał (tekst demonstracyjny)"
OPEN = "Temat kolejnego spotkania konsultacyjnego (tekst demonstracyjny)"
OPTIONS = [
    "Uznawanie kwalifikacji zawodowych",
    "Kursy języka polskiego dla osób pracujących",
    "Informacja o prawach pracowniczych",
]


def load(*, stdout):
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    people = {
        u.email: u for u in get_user_model().objects.filter(memberships__group=group)
    }
    if not Proposal.objects.filter(group=group, title=CLOSED).exists():
        _closed(group, people)
    if not Proposal.objects.filter(group=group, title=OPEN).exists():
        _open(group, people)
    stdout.write(f"Proposals: “{CLOSED}” (closed), “{OPEN}” (open)")


@transaction.atomic
def _closed(group, people):
    now = timezone.now()
    proposal = Proposal.objects.create(
        group=group,
        title=CLOSED,
        text="Zespół przyjmuje harmonogram: diagnoza w pierwszym miesiącu, projekt "
        "rekomendacji w drugim, konsultacje w trzecim (tekst demonstracyjny).",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=3),
        created_by=people["przewodniczaca@example.org"],
    )
    answers = {
        "przewodniczaca@example.org": Ballot.Position.AGREE,
        "ekspert@example.org": Ballot.Position.AGREE,
        "sekretarz@example.org": Ballot.Position.ABSTAIN,
    }
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, user=people[email], choice=choice)
        for email, choice in answers.items()
    )
    # Closed as the clock's task closes it: tally, decision, matters arising.
    proposal_close_at_time.call(proposal.pk)


def _open(group, people):
    proposal = Proposal.objects.create(
        group=group,
        title=OPEN,
        text="Który temat zespół omówi na kolejnym spotkaniu z organizacjami "
        "pracodawców? (tekst demonstracyjny)",
        kind=Proposal.Kind.CHOICE,
        options=OPTIONS,
        closes_at=timezone.now() + timedelta(days=7),
        created_by=people["przewodniczaca@example.org"],
    )
    Ballot.objects.create(
        proposal=proposal, user=people["ekspert@example.org"], choice="0"
    )
