pytest_plugins = ["verksam.tenancy.tests.fixtures"]
