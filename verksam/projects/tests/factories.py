import factory

from verksam.projects.models import Project, ProjectKind, ProjectMember
from verksam.tenancy.tests.factories import TenantFactory, TenantOwnedFactory


class ProjectFactory(TenantOwnedFactory):
    class Meta:
        model = Project

    tenant = factory.SubFactory(TenantFactory)
    number = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Projekt {n}")
    kind = ProjectKind.PROJECT
    customer_name = "Kund AB"


class ProjectMemberFactory(TenantOwnedFactory):
    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    tenant = factory.SelfAttribute("project.tenant")
    membership = None  # always pass the membership (same tenant as the project)
