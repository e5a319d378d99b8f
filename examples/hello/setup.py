from setuptools import find_packages, setup

setup(
    name="hello",
    version="0.1.0",
    package_dir={"": "src"},
    packages=find_packages("src"),
    package_data={"hello": ["greeting.txt"]},
    install_requires=["click>=8.1"],
    entry_points={"console_scripts": ["hello=hello.app:main"]},
)
