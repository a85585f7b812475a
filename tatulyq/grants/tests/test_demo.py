from tatulyq.grants.models import (
    Competition,
    GrantAgreement,
    GrantReport,
    Proposal,
    SocialOrder,
)


def test_the_demo_runs_the_whole_money_path(world):
    assert (
        Proposal.objects.filter(organisation__parent=world.ryskulov_education, status="submitted").count()
        == 13
    )
    district = Proposal.objects.get(organisation=world.ryskulov_education, is_consolidated=True)
    assert district.status == "submitted" and district.source_links.count() == 12
    order = SocialOrder.objects.get(organisation=world.jambyl_akimat)
    assert order.status == "approved" and order.topics.count() == 2
    competition = Competition.objects.get()
    assert competition.status == "published" and competition.applications.count() == 2
    agreement = GrantAgreement.objects.get()
    assert agreement.ngo == world.ngos[0] and agreement.tranches.count() == 3
    assert GrantReport.objects.get().status == "accepted"
