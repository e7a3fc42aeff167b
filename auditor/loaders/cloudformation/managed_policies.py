"""Where AWS keeps its managed policies: the path inside `arn:aws:iam::aws:policy/...`.

SAM's `Policies` may name an AWS managed policy (`AWSLambdaBasicExecutionRole`). SAM turns the
name into the policy's ARN with its own table of IAM's AWS managed policies, and most of those
made for a service's role sit under a path:
`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`. These are the policies whose
path is not `/`, from IAM's list of AWS managed policies as moto 5.2.5 ships it
(tests/loaders/test_cloudformation_resources.py checks the table against the moto installed).
A name not listed is taken to be at `/`, as most are.
"""

from __future__ import annotations

_BY_PATH = {
    "/aws-service-role/": """
        APIGatewayServiceRolePolicy AWSAgentRegistryServiceRolePolicy AWSAppConfigServiceRolePolicy
        AWSAppFabricServiceRolePolicy AWSAppMeshPreviewServiceRolePolicy AWSAppMeshServiceRolePolicy
        AWSAppSyncServiceRolePolicy AWSApplicationAutoScalingCustomResourcePolicy
        AWSApplicationAutoscalingAppStreamFleetPolicy AWSApplicationAutoscalingCassandraTablePolicy
        AWSApplicationAutoscalingComprehendEndpointPolicy AWSApplicationAutoscalingDynamoDBTablePolicy
        AWSApplicationAutoscalingEC2SpotFleetRequestPolicy AWSApplicationAutoscalingECSServicePolicy
        AWSApplicationAutoscalingEMRInstanceGroupPolicy AWSApplicationAutoscalingElastiCacheRGPolicy
        AWSApplicationAutoscalingKafkaClusterPolicy AWSApplicationAutoscalingLambdaConcurrencyPolicy
        AWSApplicationAutoscalingNeptuneClusterPolicy AWSApplicationAutoscalingRDSClusterPolicy
        AWSApplicationAutoscalingSageMakerEndpointPolicy AWSApplicationAutoscalingWorkSpacesPoolPolicy
        AWSApplicationMigrationServiceRolePolicy AWSArtifactServiceRolePolicy
        AWSAuditManagerServiceRolePolicy AWSAutoScalingPlansEC2AutoScalingPolicy
        AWSBCMDataExportsServiceRolePolicy AWSBackupServiceLinkedRolePolicyForBackup
        AWSBackupServiceLinkedRolePolicyForBackupTest AWSBatchServiceRolePolicyForSageMaker
        AWSBedrockAgentCoreGatewayNetworkServiceRolePolicy
        AWSBedrockAgentCoreIdentityNetworkServiceRolePolicy
        AWSBedrockAgentCoreRuntimeInstancesServiceRolePolicy AWSBillingConductorRolePolicy
        AWSBillingServiceRolePolicy AWSBudgetsSpendLimitMemberRolePolicy AWSBugBustServiceRolePolicy
        AWSChatbotServiceLinkedRolePolicy AWSCleanRoomsServiceRolePolicy AWSCloud9ServiceRolePolicy
        AWSCloudFrontLogger AWSCloudFrontVPCOriginServiceRolePolicy
        AWSCloudWatchAlarms_ActionSSMIncidentsServiceRolePolicy AWSCloudWatchOmniServiceRolePolicy
        AWSCodeStarNotificationsServiceRolePolicy AWSConfigMultiAccountSetupPolicy
        AWSConfigRemediationServiceRolePolicy AWSConfigServiceRolePolicy
        AWSConfigThirdPartyServiceRolePolicy AWSControlTowerAccountServiceRolePolicy
        AWSDMSFleetAdvisorServiceRolePolicy AWSDMSServerlessServiceRolePolicy
        AWSDataExchangeServiceRolePolicyForLicenseManagement
        AWSDataExchangeServiceRolePolicyForOrganizationDiscovery AWSDataSyncDiscoveryServiceRolePolicy
        AWSDataSyncServiceRolePolicy AWSDeviceFarmServiceRolePolicy AWSDeviceFarmTestGridServiceRolePolicy
        AWSDirectConnectServiceRolePolicy AWSDirectoryServiceServiceRolePolicy
        AWSEC2CapacityManagerServiceRolePolicy AWSEC2CapacityReservationFleetRolePolicy
        AWSEC2FleetServiceRolePolicy AWSEC2SpotFleetServiceRolePolicy AWSEC2SpotServiceRolePolicy
        AWSEC2SqlHaServiceRolePolicy AWSECRPullThroughCache_ServiceRolePolicy AWSElasticBeanstalkMaintenance
        AWSElasticBeanstalkManagedUpdatesServiceRolePolicy AWSElasticBeanstalkServiceRolePolicy
        AWSElasticDisasterRecoveryServiceRolePolicy AWSElasticLoadBalancingClassicServiceRolePolicy
        AWSElasticLoadBalancingServiceRolePolicy AWSEnhancedClassicNetworkingMangementPolicy
        AWSFinSpaceServiceRolePolicy AWSGitSyncServiceRolePolicy AWSGlobalAcceleratorSLRPolicy
        AWSHealthImagingServiceRolePolicy AWSHealthOmicsServiceLinkedRolePolicy
        AWSHealth_EventProcessorServiceRolePolicy AWSIAMRoleManagerServiceRolePolicy
        AWSIPAMServiceRolePolicy AWSIQContractServiceRolePolicy AWSIQPermissionServiceRolePolicy
        AWSIncidentManagerServiceRolePolicy AWSIoTFleetwiseServiceRolePolicy
        AWSIoTManagedIntegrationsRolePolicy AWSIoTSiteWiseMonitorServiceRolePolicy
        AWSIoTTwinMakerServiceRolePolicy AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy
        AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy AWSLambdaReplicator
        AWSLambdaServiceRolePolicy AWSLicenseManagerLinuxSubscriptionsServiceRolePolicy
        AWSLicenseManagerMasterAccountRolePolicy AWSLicenseManagerMemberAccountRolePolicy
        AWSLicenseManagerServiceRolePolicy AWSLicenseManagerUserSubscriptionsServiceRolePolicy
        AWSM2ServicePolicy AWSManagedServicesDeploymentToolkitPolicy
        AWSManagedServices_ContactsServiceRolePolicy
        AWSManagedServices_DetectiveControlsConfig_ServiceRolePolicy
        AWSManagedServices_EventsServiceRolePolicy AWSManagedServices_SelfServiceReporting_ServiceRolePolicy
        AWSMarketplaceDeploymentServiceRolePolicy AWSMarketplaceLicenseManagementServiceRolePolicy
        AWSMarketplacePurchaseOrdersServiceRolePolicy AWSMarketplaceResaleAuthorizationServiceRolePolicy
        AWSMediaConnectServicePolicy AWSMediaLiveAnywhereServiceRolePolicy AWSMediaTailorServiceRolePolicy
        AWSMigrationHubOrchestratorServiceRolePolicy AWSMigrationHubRefactorSpacesServiceRolePolicy
        AWSMigrationHubStrategyServiceRolePolicy AWSNATGatewayServiceRolePolicy
        AWSNetworkFirewallServiceRolePolicy AWSNetworkManagerCloudWANServiceRolePolicy
        AWSNetworkManagerServiceRolePolicy AWSObservabilityAdminLogsCentralizationServiceRolePolicy
        AWSObservabilityAdminServiceRolePolicy AWSObservabilityAdminTelemetryEnablementServiceRolePolicy
        AWSOrganizationsServiceTrustPolicy AWSOutpostsServiceRolePolicy AWSPCSServiceRolePolicy
        AWSPanoramaServiceLinkedRolePolicy AWSPrivateNetworksServiceRolePolicy
        AWSProtonCodeBuildProvisioningServiceRolePolicy AWSProtonServiceGitSyncServiceRolePolicy
        AWSProtonSyncServiceRolePolicy AWSReachabilityAnalyzerServiceRolePolicy
        AWSResilienceHubServiceRolePolicy AWSResourceAccessManagerServiceRolePolicy
        AWSResourceExplorerServiceRolePolicy AWSRoboMakerServicePolicy AWSRolesAnywhereServicePolicy
        AWSS3OnOutpostsServiceRolePolicy AWSSDMPServiceRolePolicy AWSSSMForSAPServiceLinkedRolePolicy
        AWSSSMOpsInsightsServiceRolePolicy AWSSSOServiceRolePolicy AWSSecurityAgentServiceRolePolicy
        AWSSecurityHubServiceRolePolicy AWSSecurityHubV2ServiceRolePolicy
        AWSSecurityIncidentResponseServiceRolePolicy AWSSecurityIncidentResponseTriageServiceRolePolicy
        AWSServiceCatalogAppRegistryServiceRolePolicy AWSServiceCatalogOrgsDataSyncServiceRolePolicy
        AWSServiceCatalogSyncServiceRolePolicy AWSServiceRoleForAIDevOpsPolicy AWSServiceRoleForAWSTransform
        AWSServiceRoleForAWSTransformCustom AWSServiceRoleForAmazonEKSNodegroup
        AWSServiceRoleForAmazonQDeveloper AWSServiceRoleForCloudWatchAlarmsActionSSMServiceRolePolicy
        AWSServiceRoleForCloudWatchMetrics_DbPerfInsightsServiceRolePolicy
        AWSServiceRoleForCodeGuru-Profiler AWSServiceRoleForCodeWhispererPolicy
        AWSServiceRoleForEC2ScheduledInstances AWSServiceRoleForGroundStationDataflowEndpointGroupPolicy
        AWSServiceRoleForImageBuilder AWSServiceRoleForIoTSiteWise AWSServiceRoleForLogDeliveryPolicy
        AWSServiceRoleForMonitronPolicy AWSServiceRoleForNeptuneGraphPolicy
        AWSServiceRoleForPrivateMarketplaceAdminPolicy AWSServiceRoleForProcurementInsightsPolicy
        AWSServiceRoleForSMS AWSServiceRoleForUserSubscriptions AWSServiceRolePolicyForBackupReports
        AWSServiceRolePolicyForBackupRestoreTesting AWSServiceRolePolicyForWorkspacesInstances
        AWSShieldServiceRolePolicy AWSSocialMessagingServiceRolePolicy AWSStorageGatewayServiceRolePolicy
        AWSSupportPlansServiceRolePolicy AWSSupportServiceRolePolicy
        AWSSystemsManagerAccountDiscoveryServicePolicy AWSSystemsManagerChangeManagementServicePolicy
        AWSSystemsManagerJustInTimeAccessServicePolicy AWSSystemsManagerNotificationsServicePolicy
        AWSSystemsManagerOpsDataSyncServiceRolePolicy AWSTransferServiceRolePolicy
        AWSTrustedAdvisorReportingServiceRolePolicy AWSTrustedAdvisorServiceRolePolicy
        AWSUserAttributeCostAllocationPolicy AWSUserNotificationsServiceLinkedRolePolicy
        AWSVPCFlowLogsServiceRolePolicy AWSVPCS2SVpnServiceRolePolicy AWSVPCTransitGatewayServiceRolePolicy
        AWSVPCVerifiedAccessServiceRolePolicy AWSVpcLatticeServiceRolePolicy
        AWSWellArchitectedAgentOrganizationsServiceRolePolicy
        AWSWellArchitectedAgentResourceScanningServiceRolePolicy
        AWSWellArchitectedDiscoveryServiceRolePolicy AWSWellArchitectedOrganizationsServiceRolePolicy
        AWSZonalAutoshiftPracticeRunSLRPolicy AWSZoneGroupAccessManagementServiceRolePolicy
        AWSrePostPrivateCloudWatchAccess AccessAnalyzerServiceRolePolicy
        AccountAccessManagerServiceRolePolicy AlexaForBusinessNetworkProfileServicePolicy
        AmazonAthenaServiceRolePolicy AmazonBraketServiceRolePolicy
        AmazonChimeSDKMediaPipelinesServiceLinkedRolePolicy AmazonChimeSDKMessagingServiceRolePolicy
        AmazonChimeServiceRolePolicy AmazonChimeTranscriptionServiceLinkedRolePolicy
        AmazonChimeVoiceConnectorServiceLinkedRolePolicy AmazonCloudWatchRUMServiceRolePolicy
        AmazonCodeGuruReviewerServiceRolePolicy AmazonCognitoIdpEmailServiceRolePolicy
        AmazonCognitoIdpServiceRolePolicy AmazonConnectCampaignsServiceLinkedRolePolicy
        AmazonConnectServiceLinkedRolePolicy AmazonConnectSynchronizationServiceRolePolicy
        AmazonDetectiveServiceLinkedRolePolicy AmazonDevOpsGuruServiceRolePolicy
        AmazonDocDB-ElasticServiceRolePolicy AmazonECSComputeServiceRolePolicy AmazonECSServiceRolePolicy
        AmazonEKSConnectorServiceRolePolicy AmazonEKSDashboardServiceRolePolicy
        AmazonEKSForFargateServiceRolePolicy AmazonEKSLocalOutpostServiceRolePolicy
        AmazonEKSServiceRolePolicy AmazonEMRCleanupPolicy AmazonEMRContainersServiceRolePolicy
        AmazonEMRServerlessServiceRolePolicy AmazonEVSServiceRolePolicy
        AmazonElasticFileSystemServiceRolePolicy AmazonElasticsearchServiceRolePolicy
        AmazonEventBridgeApiDestinationsServiceRolePolicy AmazonEventBridgeSchemasServiceRolePolicy
        AmazonFISServiceRolePolicy AmazonFSxServiceRolePolicy AmazonGrafanaServiceLinkedRolePolicy
        AmazonGuardDutyMalwareProtectionServiceRolePolicy AmazonGuardDutyServiceRolePolicy
        AmazonHoneycodeServiceRolePolicy AmazonInspector2AgentlessServiceRolePolicy
        AmazonInspector2AmiScanServiceRolePolicy AmazonInspector2ServiceRolePolicy
        AmazonInspector2ThirdPartyServiceRolePolicy AmazonInspectorServiceRolePolicy AmazonLexChannelsAccess
        AmazonLexReplicationPolicy AmazonLexV2BotPolicy AmazonMQServiceRolePolicy
        AmazonMWAAServerlessServiceRolePolicy AmazonMWAAServiceRolePolicy AmazonMacieServiceRolePolicy
        AmazonManagedBlockchainServiceRolePolicy AmazonODBServiceRolePolicy
        AmazonOpenSearchDashboardsServiceRolePolicy AmazonOpenSearchIngestionServiceRolePolicy
        AmazonOpenSearchServerlessServiceRolePolicy AmazonOpenSearchServiceRolePolicy
        AmazonPrometheusScraperServiceRolePolicy AmazonRDSBetaServiceRolePolicy
        AmazonRDSCustomPreviewServiceRolePolicy AmazonRDSCustomServiceRolePolicy
        AmazonRDSPreviewServiceRolePolicy AmazonRDSServiceRolePolicy AmazonRedshiftServiceLinkedRolePolicy
        AmazonSESServiceRolePolicy AmazonSSMServiceRolePolicy
        AmazonSageMakerCapacityReservationServiceRolePolicy AmazonSageMakerCoreServiceRolePolicy
        AmazonSageMakerHyperPodServiceRolePolicy AmazonSageMakerInferenceServiceRolePolicy
        AmazonSageMakerNotebooksServiceRolePolicy AmazonTimestreamInfluxDBServiceRolePolicy
        AmazonWorkMailEventsServiceRolePolicy AmazonWorkSpacesThinClientMonitoringServiceRolePolicy
        AmazonWorkSpacesWebServiceRolePolicy AppIntegrationsServiceLinkedRolePolicy
        AppRunnerNetworkingServiceRolePolicy AppRunnerServiceRolePolicy AppStudioServiceRolePolicy
        ApplicationDiscoveryServiceContinuousExportServiceRolePolicy AssuranceServiceRolePolicy
        AuroraDsqlServiceLinkedRolePolicy AutoScalingServiceRolePolicy BatchServiceRolePolicy
        BedrockAgentCoreNetworkServiceRolePolicy BedrockAgentCoreRuntimeIdentityServiceRolePolicy
        BudgetsServiceRolePolicy CertificateManagerServiceRolePolicy ClientVPNServiceConnectionsRolePolicy
        ClientVPNServiceRolePolicy CloudFormationStackSetsOrgAdminServiceRolePolicy
        CloudFormationStackSetsOrgMemberServiceRolePolicy CloudHSMServiceRolePolicy CloudTrailEventContext
        CloudTrailServiceRolePolicy CloudWatch-CrossAccountAccess
        CloudWatchApplicationSignalsServiceRolePolicy CloudWatchEventsServiceRolePolicy
        CloudWatchInternetMonitorServiceRolePolicy CloudWatchNetworkFlowMonitorServiceRolePolicy
        CloudWatchNetworkFlowMonitorTopologyServiceRolePolicy CloudWatchNetworkMonitorServiceRolePolicy
        CloudwatchApplicationInsightsServiceLinkedRolePolicy ComputeOptimizerAutomationServiceRolePolicy
        ComputeOptimizerServiceRolePolicy ConfigConformsServiceRolePolicy
        CostOptimizationHubServiceRolePolicy CustomerProfilesServiceLinkedRolePolicy DAXServiceRolePolicy
        DeclarativePoliciesEC2Report DynamoDBCloudWatchContributorInsightsServiceRolePolicy
        DynamoDBGlobalTableSettingsManagementServiceRolePolicy DynamoDBKinesisReplicationServiceRolePolicy
        DynamoDBReplicationServiceRolePolicy EC2ApplicationStatusChecksServiceRolePolicy
        EC2FastLaunchServiceRolePolicy EC2FleetTimeShiftableServiceRolePolicy
        ECRReplicationServiceRolePolicy ECRTemplateServiceRolePolicy EMRDescribeClusterPolicyForEMRWAL
        Ec2InstanceConnectEndpoint ElastiCacheServiceRolePolicy EndUserMessagingServiceRolePolicy
        FMSServiceRolePolicy FSxDeleteServiceLinkedRoleAccess Health_OrganizationsServiceRolePolicy
        IVSRecordToS3 KafkaConnectServiceRolePolicy KafkaServiceRolePolicy KeyspacesCDCServiceRolePolicy
        KeyspacesReplicationServiceRolePolicy LakeFormationDataAccessServiceRolePolicy LexBotPolicy
        LexChannelPolicy LightsailExportAccess MediaPackageServiceRolePolicy MemoryDBServiceRolePolicy
        MigrationHubDMSAccessServiceRolePolicy MigrationHubSMSAccessServiceRolePolicy
        MigrationHubServiceRolePolicy MonitronServiceRolePolicy
        NetworkSecurityDirectorServiceLinkedRolePolicy NetworkSecurityManagerServiceRolePolicy
        NovaActServiceRolePolicy OpensearchIngestionSelfManagedVpcePolicy QAppsServiceRolePolicy
        QBusinessServiceRolePolicy RTBFabricServiceRolePolicy ResourceGroupsServiceRolePolicy
        Route53RecoveryReadinessServiceRolePolicy Route53ResolverServiceRolePolicy
        S3StorageLensServiceRolePolicy SMSVoiceServiceRolePolicy SSMQuickSetupRolePolicy
        SecurityLakeResourceManagementServiceRolePolicy SecurityLakeServiceLinkedRole
        ServiceQuotasServiceRolePolicy SplitCostAllocationDataServiceRolePolicy WAFLoggingServiceRolePolicy
        WAFRegionalLoggingServiceRolePolicy WAFV2LoggingServiceRolePolicy
    """,
    "/job-function/": """
        AWSManagementConsoleAdministratorAccess AmazonODBAutonomousDatabaseAdmin
        AmazonODBAutonomousVmClusterAdmin AmazonODBExadataInfrastructureAdmin AmazonODBExadataVmClusterAdmin
        AmazonODBExascaleStorageVaultAdmin AmazonODBExascaleVmClusterAdmin AmazonODBNetworkAdmin Billing
        DataScientist DatabaseAdministrator NetworkAdministrator SupportUser SystemAdministrator
        ViewOnlyAccess
    """,
    "/root-task/": """
        IAMAuditRootUserCredentials IAMCreateRootUserPassword IAMDeleteRootUserCredentials
        S3UnlockBucketPolicy SQSUnlockQueuePolicy
    """,
    "/service-role/": """
        AIDevOpsChannelAccessPolicy AIDevOpsConstellationAccessPolicy AWSAppRunnerServicePolicyForECRAccess
        AWSAppSyncPushToCloudWatchLogs AWSApplicationMigrationAgentPolicy_v2
        AWSApplicationMigrationConversionServerPolicy AWSApplicationMigrationFSxProxyPolicy
        AWSApplicationMigrationFSxProxyVPCPolicy AWSApplicationMigrationMGHAccess
        AWSApplicationMigrationReplicationServerPolicy AWSArtifactAccountSync
        AWSBackupGatewayServiceRolePolicyForVirtualMachineMetadataSync AWSBackupServiceRolePolicyForBackup
        AWSBackupServiceRolePolicyForRestores AWSBatchServiceEventTargetRole AWSBatchServiceRole
        AWSCloudHSMRole AWSCodeDeployRole AWSCodeDeployRoleForCloudFormation AWSCodeDeployRoleForLambda
        AWSCodeDeployRoleForLambdaLimited AWSCodeStarServiceRole AWSConfigRoleForOrganizations
        AWSConfigRulesExecutionRole AWSControlTowerCloudTrailRolePolicy
        AWSControlTowerIdentityCenterManagementPolicy AWSControlTowerServiceRolePolicy
        AWSCostAndUsageReportAutomationPolicy AWSDataLifecycleManagerSSMFullAccess
        AWSDataLifecycleManagerServiceRole AWSDataLifecycleManagerServiceRoleForAMIManagement
        AWSDeepLensServiceRolePolicy AWSDeepRacerServiceRolePolicy AWSElasticBeanstalkEnhancedHealth
        AWSElasticBeanstalkRoleCWL AWSElasticBeanstalkRoleCore AWSElasticBeanstalkRoleECS
        AWSElasticBeanstalkRoleRDS AWSElasticBeanstalkRoleSNS AWSElasticBeanstalkRoleWorkerTier
        AWSElasticBeanstalkService AWSElasticDisasterRecoveryAgentPolicy
        AWSElasticDisasterRecoveryConversionServerPolicy
        AWSElasticDisasterRecoveryCrossAccountReplicationPolicy AWSElasticDisasterRecoveryEc2InstancePolicy
        AWSElasticDisasterRecoveryFailbackPolicy AWSElasticDisasterRecoveryNetworkReplicationPolicy
        AWSElasticDisasterRecoveryRecoveryInstancePolicy AWSElasticDisasterRecoveryReplicationServerPolicy
        AWSElasticDisasterRecoveryStagingAccountPolicy AWSElasticDisasterRecoveryStagingAccountPolicy_v2
        AWSFaultInjectionSimulatorEC2Access AWSFaultInjectionSimulatorECSAccess
        AWSFaultInjectionSimulatorEKSAccess AWSFaultInjectionSimulatorNetworkAccess
        AWSFaultInjectionSimulatorRDSAccess AWSFaultInjectionSimulatorSSMAccess AWSGlueDataBrewServiceRole
        AWSGlueServiceNotebookRole AWSGlueServiceRole AWSGreengrassResourceAccessRolePolicy
        AWSIdentityCenterExternalManagementPolicy AWSIoTDeviceDefenderAddThingsToThingGroupMitigationAction
        AWSIoTDeviceDefenderAudit AWSIoTDeviceDefenderEnableIoTLoggingMitigationAction
        AWSIoTDeviceDefenderPublishFindingsToSNSMitigationAction
        AWSIoTDeviceDefenderReplaceDefaultPolicyMitigationAction
        AWSIoTDeviceDefenderUpdateCACertMitigationAction
        AWSIoTDeviceDefenderUpdateDeviceCertMitigationAction AWSIoTFleetHubFederationAccess AWSIoTLogging
        AWSIoTOTAUpdate AWSIoTRuleActions AWSIoTSiteWiseMonitorPortalAccess AWSIoTThingsRegistration
        AWSLambdaBasicDurableExecutionRolePolicy AWSLambdaBasicExecutionRole AWSLambdaDynamoDBExecutionRole
        AWSLambdaENIManagementAccess AWSLambdaKinesisExecutionRole AWSLambdaMSKExecutionRole AWSLambdaRole
        AWSLambdaSQSQueueExecutionRole AWSLambdaVPCAccessExecutionRole AWSLicenseManagerConsumptionPolicy
        AWSMSKReplicatorExecutionRole AWSManagedServiceAccessManagementAccess AWSManagedSignUpAdminAccess
        AWSMigrationHubDMSAccess AWSMigrationHubDiscoveryAccess
        AWSMigrationHubRefactorSpaces-SSMAutomationPolicy AWSMigrationHubSMSAccess
        AWSPanoramaApplianceRolePolicy AWSPanoramaApplianceServiceRolePolicy
        AWSPanoramaGreengrassGroupRolePolicy AWSPanoramaSageMakerRolePolicy AWSPanoramaServiceRolePolicy
        AWSQuickSightDescribeRDS AWSQuickSightDescribeRedshift AWSQuickSightElasticsearchPolicy
        AWSQuickSightListIAM AWSQuickSightSageMakerPolicy AWSQuickSightSecretsManagerWriteAccess
        AWSQuickSightTimestreamPolicy AWSQuicksightAthenaAccess AWSQuicksightOpenSearchPolicy
        AWSSecurityAgentWebAppPolicy AWSShieldDRTAccessPolicy AWSSupplyChainFederationAdminAccess
        AWSTransferLoggingAccess AWSTransformApplicationDeploymentPolicy
        AWSTransformApplicationECSDeploymentPolicy AWS_ConfigRole AmazonAPIGatewayPushToCloudWatchLogs
        AmazonAppStreamPCAAccess AmazonAppStreamServiceAccess AmazonCodeCatalystSupportAccess
        AmazonDMSCloudWatchLogsRole AmazonDMSRedshiftS3Role AmazonDMSVPCManagementRole
        AmazonDataZoneBedrockModelConsumptionPolicy AmazonDataZoneBedrockModelManagementPolicy
        AmazonDataZoneDomainExecutionRolePolicy AmazonDataZoneGlueManageAccessRolePolicy
        AmazonDataZoneRedshiftManageAccessRolePolicy AmazonEBSCSIDriverPolicy
        AmazonEC2ContainerServiceAutoscaleRole AmazonEC2ContainerServiceEventsRole
        AmazonEC2ContainerServiceRole AmazonEC2ContainerServiceforEC2Role AmazonEC2RoleforAWSCodeDeploy
        AmazonEC2RoleforAWSCodeDeployLimited AmazonEC2RoleforDataPipelineRole AmazonEC2RoleforSSM
        AmazonEC2SpotFleetAutoscaleRole AmazonEC2SpotFleetTaggingRole
        AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity
        AmazonECSInfrastructureRolePolicyForVolumes AmazonECSInfrastructureRoleforExpressGatewayServices
        AmazonECSTaskExecutionRolePolicy AmazonEFSCSIDriverPolicy AmazonEMRServicePolicyForSessions
        AmazonEMRServicePolicy_v2 AmazonElasticMapReduceEditorsRole AmazonElasticMapReduceRole
        AmazonElasticMapReduceforAutoScalingRole AmazonElasticMapReduceforEC2Role
        AmazonElasticTranscoderRole AmazonFreeRTOSOTAUpdate AmazonGrafanaAthenaAccess
        AmazonGrafanaCloudWatchAccess AmazonGrafanaRedshiftAccess
        AmazonMachineLearningRoleforRedshiftDataSourceV3 AmazonMacieHandshakeRole AmazonMacieServiceRole
        AmazonPersonalizeFullAccess AmazonRDSDirectoryServiceAccess AmazonRDSEnhancedMonitoringRole
        AmazonRekognitionServiceRole AmazonS3FilesCSIDriverPolicy AmazonS3ObjectLambdaExecutionRolePolicy
        AmazonS3TablesLakeFormationServiceRole AmazonSNSRole AmazonSSMAutomationRole
        AmazonSSMMaintenanceWindowRole AmazonSageMakerCanvasDirectDeployAccess
        AmazonSageMakerCanvasForecastAccess AmazonSageMakerEdgeDeviceFleetPolicy
        AmazonSageMakerGeospatialExecutionRole AmazonSageMakerGeospatialFullAccess
        AmazonSageMakerPartnerServiceCatalogProductsApiGatewayServiceRolePolicy
        AmazonSageMakerPartnerServiceCatalogProductsCloudFormationServiceRolePolicy
        AmazonSageMakerPartnerServiceCatalogProductsLambdaServiceRolePolicy
        AmazonSageMakerQuickSightVPCPolicy AmazonSageMakerServiceCatalogProductsApiGatewayServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsCloudformationServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsCodePipelineServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsEventsServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsFirehoseServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsGlueServiceRolePolicy
        AmazonSageMakerServiceCatalogProductsLambdaServiceRolePolicy AmazonSecurityLakeMetastoreManager
        AmazonTextractServiceRole AmplifyBackendDeployFullAccess
        ApplicationAutoScalingForAmazonAppStreamAccess AutoScalingNotificationAccessRole
        AwsGlueSessionUserRestrictedNotebookServiceRole AwsGlueSessionUserRestrictedServiceRole
        CloudWatchEventsBuiltInTargetExecutionAccess CloudWatchEventsInvocationAccess
        ComprehendDataAccessRolePolicy EC2ImageBuilderLifecycleExecutionPolicy
        GreengrassOTAUpdateArtifactAccess QuickSightAccessForS3StorageManagementAnalyticsReadOnly
        RDSCloudHsmAuthorizationRole ROSAAmazonEBSCSIDriverOperatorPolicy
        ROSACloudNetworkConfigOperatorPolicy ROSAControlPlaneOperatorPolicy ROSAImageRegistryOperatorPolicy
        ROSAIngressOperatorPolicy ROSAInstallerPolicy ROSAKMSProviderPolicy ROSAKarpenterControllerPolicy
        ROSAKubeControllerPolicy ROSANodePoolManagementPolicy ROSASRESupportPolicy ROSAWorkerInstancePolicy
        SageMakerStudioBedrockAgentServiceRolePolicy SageMakerStudioBedrockChatAgentUserRolePolicy
        SageMakerStudioBedrockEvaluationJobServiceRolePolicy SageMakerStudioBedrockFlowServiceRolePolicy
        SageMakerStudioBedrockFunctionExecutionRolePolicy
        SageMakerStudioBedrockKnowledgeBaseCustomResourcePolicy
        SageMakerStudioBedrockKnowledgeBaseServiceRolePolicy SageMakerStudioBedrockPromptUserRolePolicy
        SageMakerStudioDomainExecutionRolePolicy SageMakerStudioDomainServiceRolePolicy
        SageMakerStudioEMRContainersSystemNamespaceRolePolicy SageMakerStudioEMRInstanceRolePolicy
        SageMakerStudioEMRServiceRolePolicy SageMakerStudioProjectProvisioningRolePolicy
        SageMakerStudioQueryExecutionRolePolicy SecurityAgentWebAppAPIPolicy
        ServerMigrationServiceLaunchRole ServerMigrationServiceRoleForInstanceValidation
        VMImportExportRoleForAWSConnector
    """,
}

_PATHS: dict[str, str] | None = None


def aws_managed_policy_arn(name: str) -> str:
    """The ARN of the AWS managed policy `name`."""
    global _PATHS
    if _PATHS is None:
        _PATHS = {n: path for path, names in _BY_PATH.items() for n in names.split()}
    return f"arn:aws:iam::aws:policy{_PATHS.get(name, '/')}{name}"
